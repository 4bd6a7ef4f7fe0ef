/**
 * Sliding-window arithmetic shared by convolution and pooling layers, as tfjs-layers'
 * `conv_utils.convOutputLength` computes it, with the textbook formula
 * (N + 2·pad − F)/stride + 1 written out with the actual numbers for students.
 */
import { choice, intOrPair, type IntPair } from './params';
import type { ShapeContext } from './layer-spec';
import type { Shape } from './types';

export type PaddingMode = 'valid' | 'same';

/** Renders a number with a true minus sign. */
export function num(n: number): string {
  return n < 0 ? `−${-n}` : String(n);
}

function decimal(n: number): string {
  return num(Math.round(n * 1000) / 1000);
}

/**
 * One spatial axis of a window layer. The numbers are computed at once; the arithmetic text
 * (`formula`) only when something reads it (a message, the inspector), since the shape pass
 * runs on every edit for every node and rarely needs it.
 */
export class AxisResult {
  /** Output length, as tfjs computes it (may be ≤ 0; callers reject that). */
  readonly out: number;
  /** Input rows (or columns) the window never reaches with `valid` padding and this stride. */
  readonly leftover: number;
  /** The extent of the (dilated) window. */
  readonly span: number;

  constructor(
    readonly length: number,
    readonly kernel: number,
    readonly stride: number,
    readonly padding: PaddingMode,
    readonly dilation: number,
  ) {
    this.span = kernel + (kernel - 1) * (dilation - 1);
    if (padding === 'same') {
      this.out = Math.ceil(length / stride);
      this.leftover = 0;
    } else {
      this.out = Math.floor((length - this.span) / stride) + 1;
      this.leftover = length - this.span >= 0 ? (length - this.span) % stride : 0;
    }
  }

  /** The arithmetic, e.g. `(28 + 2·0 − 5)/1 + 1 = 24`. */
  get formula(): string {
    const { length, kernel, stride, span, out } = this;
    const kernelText = this.dilation > 1 ? `${span}` : `${kernel}`;
    if (this.padding === 'same') {
      const total = Math.max((out - 1) * stride + span - length, 0);
      if ((length + total - span) % stride === 0 && (length + total - span) / stride + 1 === out) {
        const pad = total % 2 === 0 ? `2·${total / 2}` : `${Math.floor(total / 2)} + ${Math.ceil(total / 2)}`;
        return `(${length} + ${pad} − ${kernelText})/${stride} + 1 = ${num(out)}`;
      }
      return `⌈${length}/${stride}⌉ = ${num(out)} (padding "same")`;
    }
    const exact = (length - span) / stride + 1;
    const base = `(${length} + 2·0 − ${kernelText})/${stride} + 1 = ${decimal(exact)}`;
    return Number.isInteger(exact) ? base : `${base}, rounded down to ${num(out)}`;
  }

  /** Whether another axis has the same arithmetic (so one line can say both). */
  sameAs(o: AxisResult): boolean {
    return this.length === o.length && this.kernel === o.kernel && this.stride === o.stride && this.dilation === o.dilation;
  }
}

/** Output length along one axis: floor((L' + s − 1)/s), L' = L for same, L − span + 1 for valid. */
export function axisOutput(length: number, kernel: number, stride: number, padding: PaddingMode, dilation = 1): AxisResult {
  return new AxisResult(length, kernel, stride, padding, dilation);
}

export interface WindowResult {
  out: [number, number];
  /** One line when both axes read the same, else `height: …` and `width: …`. */
  readonly formula: string[];
  axes: [AxisResult, AxisResult];
}

/** Both spatial axes of a window layer. */
export function window2d(input: Shape, kernel: IntPair, strides: IntPair, padding: PaddingMode, dilation: IntPair = [1, 1]): WindowResult {
  const h = axisOutput(input[0], kernel[0], strides[0], padding, dilation[0]);
  const w = axisOutput(input[1], kernel[1], strides[1], padding, dilation[1]);
  return {
    out: [h.out, w.out],
    axes: [h, w],
    get formula() {
      return h.sameAs(w) ? [h.formula] : [`height: ${h.formula}`, `width: ${w.formula}`];
    },
  };
}

/** `3×3`, or `3` for a 1-D size. */
export function pairText(p: IntPair): string {
  return `${p[0]}×${p[1]}`;
}

/**
 * Computes a window layer's spatial output and reports an output size ≤ 0 (error) and a
 * stride that leaves rows or columns unused (warning). Returns null after an error.
 */
export function checkedWindow(
  what: 'kernel' | 'pool',
  input: Shape,
  kernel: IntPair,
  strides: IntPair,
  padding: PaddingMode,
  ctx: ShapeContext,
  dilation: IntPair = [1, 1],
): [number, number] | null {
  const r = window2d(input, kernel, strides, padding, dilation);
  const [h, w] = r.axes;
  if (h.out <= 0 || w.out <= 0) {
    const bad = h.out <= 0 ? h : w;
    const spanText = dilation[0] > 1 || dilation[1] > 1
      ? `${pairText(kernel)} ${what} dilated by ${pairText(dilation)} spans ${h.span}×${w.span}, more than`
      : `${pairText(kernel)} ${what} is larger than`;
    const fix = what === 'kernel' ? 'a smaller kernel' : 'a smaller pool';
    ctx.error('output-size',
      `${bad.formula.replace(/, rounded down to .*$/, '')} ≤ 0: the ${spanText} its ${input[0]}×${input[1]} input; use padding "same", ${fix}, or remove a pooling layer above.`,
      what === 'kernel' ? 'kernelSize' : 'poolSize');
    return null;
  }
  if (padding === 'valid' && (h.leftover > 0 || w.leftover > 0)) {
    const same = h.sameAs(w);
    const axes = same ? [[0, h, 'row and column', 'rows and columns']] as const
      : [[0, h, 'row', 'rows'], [1, w, 'column', 'columns']] as const;
    for (const [axis, a, one, many] of axes) {
      if (a.leftover > 0) {
        ctx.warn('stride-remainder',
          `${a.formula}: the stride ${strides[axis]} does not divide ${input[axis]} − ${a.span} = ${input[axis] - a.span}, so the last ${a.leftover === 1 ? one : `${a.leftover} ${many}`} of the input ${a.leftover === 1 && !same ? 'is' : 'are'} never read. Use padding "same" or a stride that divides evenly.`,
          'strides');
      }
    }
  }
  return r.out;
}

/** Params every sliding-window layer with weights shares. */
export const windowParams = {
  kernelSize: intOrPair({ required: true, initial: 3, help: 'Height and width of the filter window, e.g. 3 or [3, 5]' }),
  strides: intOrPair({ default: [1, 1] as IntPair, help: 'Step of the window, in pixels: 2 halves the output size' }),
  padding: choice(['valid', 'same'], { default: 'valid', help: '"valid": no padding, the output shrinks; "same": pad with zeros so that stride 1 keeps the size' }),
};

/** `32 × 3×3 /1 same`: the face of a convolution node (filters omitted for depthwise). */
export function windowSummary(p: { kernelSize: IntPair; strides: IntPair; padding: string }, filters?: number): string {
  const k = p.kernelSize[0] === p.kernelSize[1] ? pairText(p.kernelSize) : `${p.kernelSize[0]}×${p.kernelSize[1]}`;
  const s = p.strides[0] === p.strides[1] ? `${p.strides[0]}` : `${p.strides[0]},${p.strides[1]}`;
  return `${filters !== undefined ? `${filters} × ` : ''}${k} /${s} ${p.padding}`;
}
