/**
 * Constant folding of the small shape arithmetic exporters leave in a graph: torch writes the pads
 * of `F.pad` as ConstantOfShape → Concat → Reshape → Slice (step −1) → Transpose → Reshape → Cast
 * over constants. The import walk evaluates such nodes when every input is a constant, so the Pad
 * after them reads plain numbers. Only small tensors are folded (shapes, pads, bounds).
 */

/** A constant tensor: dims and row-major values (floats or whole numbers). */
export interface Folded {
  dims: number[];
  values: number[];
  float: boolean;
}

/** Tensors larger than this are not folded (the folds are for shapes and pads, not weights). */
export const MAX_FOLD = 4096;

/** The ops folded when every input is a constant. */
export const FOLDABLE = new Set(['ConstantOfShape', 'Concat', 'Reshape', 'Slice', 'Transpose', 'Cast', 'Unsqueeze', 'Squeeze', 'Gather', 'Shape']);

const sizeOf = (dims: number[]) => dims.reduce((a, b) => a * b, 1);

function strides(dims: number[]): number[] {
  const s = new Array<number>(dims.length);
  let acc = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= dims[i];
  }
  return s;
}

/** Calls `f` with each multi-index of `dims`, in row-major order. */
function each(dims: number[], f: (idx: number[]) => void): void {
  const n = sizeOf(dims);
  const idx = new Array<number>(dims.length).fill(0);
  for (let k = 0; k < n; k++) {
    f(idx);
    for (let a = dims.length - 1; a >= 0; a--) {
      if (++idx[a] < dims[a]) break;
      idx[a] = 0;
    }
  }
}

const FLOAT_TYPES = new Set([1, 10, 11, 16]);

/**
 * Evaluates one node over constant inputs; `attrs` are its decoded attributes (`value` for
 * ConstantOfShape as a Folded). Returns undefined when it cannot (an unknown form, or too large).
 */
export function fold(op: string, inputs: (Folded | undefined)[], attrs: Record<string, unknown>): Folded | undefined {
  const [x] = inputs;
  if (!x && op !== 'ConstantOfShape') return undefined;
  const ints = (t: Folded | undefined) => (t ? t.values.map((v) => Math.trunc(v)) : undefined);
  const axisOf = (a: number, rank: number) => (a < 0 ? a + rank : a);
  switch (op) {
    case 'ConstantOfShape': {
      const dims = ints(x) ?? [];
      if (sizeOf(dims) > MAX_FOLD || dims.some((d) => d < 0)) return undefined;
      const value = attrs.value as Folded | undefined;
      return { dims, values: new Array<number>(sizeOf(dims)).fill(value?.values[0] ?? 0), float: value ? value.float : true };
    }
    case 'Cast':
      return { dims: x!.dims, values: FLOAT_TYPES.has(Number(attrs.to)) ? x!.values : x!.values.map((v) => Math.trunc(v)), float: FLOAT_TYPES.has(Number(attrs.to)) };
    case 'Shape':
      return { dims: [x!.dims.length], values: [...x!.dims], float: false };
    case 'Reshape': {
      const target = ints(inputs[1]);
      if (!target) return undefined;
      const dims = target.map((d, i) => (d === 0 ? x!.dims[i] : d));
      const known = sizeOf(dims.filter((d) => d !== -1));
      const resolved = dims.map((d) => (d === -1 ? x!.values.length / known : d));
      return sizeOf(resolved) === x!.values.length ? { ...x!, dims: resolved } : undefined;
    }
    case 'Unsqueeze': {
      const axes = ints(inputs[1]) ?? (attrs.axes as number[] | undefined) ?? [];
      const rank = x!.dims.length + axes.length;
      const dims = [...x!.dims];
      for (const a of axes.map((v) => axisOf(v, rank)).sort((p, q) => p - q)) dims.splice(a, 0, 1);
      return { ...x!, dims };
    }
    case 'Squeeze': {
      const axes = (ints(inputs[1]) ?? (attrs.axes as number[] | undefined))?.map((a) => axisOf(a, x!.dims.length));
      return { ...x!, dims: x!.dims.filter((d, i) => (axes ? !axes.includes(i) : d !== 1)) };
    }
    case 'Concat': {
      if (inputs.some((t) => !t)) return undefined;
      const rank = x!.dims.length;
      const axis = axisOf(Number(attrs.axis ?? 0), rank);
      const parts = inputs as Folded[];
      if (parts.some((t) => t.dims.length !== rank)) return undefined;
      const dims = [...x!.dims];
      dims[axis] = parts.reduce((a, t) => a + t.dims[axis], 0);
      if (sizeOf(dims) > MAX_FOLD) return undefined;
      const outer = sizeOf(dims.slice(0, axis));
      const values: number[] = [];
      for (let o = 0; o < outer; o++) {
        for (const t of parts) {
          const inner = sizeOf(t.dims.slice(axis));
          values.push(...t.values.slice(o * inner, (o + 1) * inner));
        }
      }
      return { dims, values, float: x!.float };
    }
    case 'Transpose': {
      const rank = x!.dims.length;
      const perm = (attrs.perm as number[] | undefined) ?? [...Array(rank).keys()].reverse();
      const dims = perm.map((p) => x!.dims[p]);
      const src = strides(x!.dims);
      const values: number[] = [];
      each(dims, (idx) => values.push(x!.values[idx.reduce((acc, v, a) => acc + v * src[perm[a]], 0)]));
      return { dims, values, float: x!.float };
    }
    case 'Slice': {
      const rank = x!.dims.length;
      const starts = ints(inputs[1]);
      const ends = ints(inputs[2]);
      if (!starts || !ends) return undefined;
      const axes = (ints(inputs[3]) ?? starts.map((_s, i) => i)).map((a) => axisOf(a, rank));
      const steps = ints(inputs[4]) ?? starts.map(() => 1);
      const ranges = x!.dims.map((d) => ({ start: 0, step: 1, count: d }));
      axes.forEach((a, i) => {
        const d = x!.dims[a];
        const step = steps[i];
        if (step === 0) return;
        const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
        let s = starts[i] < 0 ? starts[i] + d : starts[i];
        let e = ends[i] < 0 ? ends[i] + d : ends[i];
        if (step > 0) {
          s = clamp(s, 0, d);
          e = clamp(e, 0, d);
        } else {
          s = clamp(s, -1, d - 1);
          e = clamp(e, -1, d - 1);
        }
        ranges[a] = { start: s, step, count: Math.max(0, Math.ceil((e - s) / step)) };
      });
      const dims = ranges.map((r) => r.count);
      const src = strides(x!.dims);
      const values: number[] = [];
      each(dims, (idx) => values.push(x!.values[idx.reduce((acc, v, a) => acc + (ranges[a].start + v * ranges[a].step) * src[a], 0)]));
      return { dims, values, float: x!.float };
    }
    case 'Gather': {
      const indices = ints(inputs[1]);
      if (!indices || x!.dims.length !== 1) return undefined;
      const picked = indices.map((i) => x!.values[i < 0 ? i + x!.dims[0] : i]);
      if (picked.some((v) => v === undefined)) return undefined;
      return { dims: inputs[1]!.dims, values: picked, float: x!.float };
    }
    default:
      return undefined;
  }
}
