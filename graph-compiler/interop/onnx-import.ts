/**
 * Import of an ONNX model (the bytes of a `.onnx` file) into a graph document and its weights.
 * Reads the op set of torchvision's classifiers as `torch.onnx.export` writes them (eval mode:
 * BatchNorm folded into Conv, weights through Identity nodes, Constant nodes for Clip bounds).
 *
 * Each ONNX node is read by the layer module that lists its op (`onnx.ops` / `onnx.read`); the walk
 * here does what spans nodes: initializers, Constant and Identity nodes, and three joins, x · Sigmoid(x)
 * (swish), MatMul + Add (Dense with bias) and GlobalAveragePool + Flatten (GlobalAveragePooling2D).
 * A node Layerboard cannot represent is left out with one message naming it, its op and why; the
 * nodes after it take its input instead, as in the model.json import. Images become channels-last.
 * Positions are left out; the editor lays the document out. The bytes are data: names are kept as
 * strings, every count is bounded, and a damaged file gives a message, never an exception.
 */
import { onnx } from 'onnx-proto';
import type { NodeWeights } from '../emit/weights';
import type { ShapeContext } from '../layer-spec';
import { LAYERS, layerByType } from '../layers';
import { needsActivationLayer } from '../layers/activation';
import { compile } from '../compile';
import { validateNode } from '../passes/validate';
import type { GraphDocument, GraphEdge, GraphNode, Shape } from '../types';
import { fold, FOLDABLE, MAX_FOLD, type Folded } from './onnx-fold';
import { docShape, MAXOUT_OP, STEP_OP, SWISH_OP, type OnnxConstant, type OnnxNodeView, type OnnxRead, type OnnxReadContext } from './onnx-form';

/** What an ONNX import gives. `tensors` maps ONNX value names to the node that holds them. */
export type OnnxImport =
  | {
    ok: true; doc: GraphDocument; weights: NodeWeights; messages: string[]; leftOut: string[];
    tensors: Record<string, string>;
    /** FLOAT elements in the file's initializers: the file's weight count. */
    fileWeights: number;
  }
  | { ok: false; message: string };

/** Files with more nodes than this are refused (torchvision's largest classifiers have a few thousand). */
export const MAX_ONNX_NODES = 100_000;

type Obj = Record<string, unknown>;

const num = (v: unknown): number => (typeof v === 'number' ? v : v && typeof (v as { toNumber?: unknown }).toNumber === 'function' ? (v as { toNumber(): number }).toNumber() : Number(v));
const f7 = (v: number) => Number(v.toPrecision(7));

/** The first bytes of an ONNX file: field 1 (ir_version, varint), as every ModelProto writer puts first. */
export function looksLikeOnnx(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0x08;
}

function decodeModel(bytes: Uint8Array): onnx.ModelProto | string {
  if (bytes.length === 0) return 'the file is empty';
  try {
    return onnx.ModelProto.decode(bytes);
  } catch (e) {
    const at = /(\d+) \+ \d+ > \d+|offset (\d+)/.exec(String((e as Error).message));
    const where = at ? ` near byte ${at[1] ?? at[2]} of ${bytes.length}` : '';
    return `not JSON, and not a readable ONNX model: the data is cut short or damaged${where}`;
  }
}

function attrValue(a: onnx.IAttributeProto): number | number[] | string | undefined {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.type) {
    case T.INT: return num(a.i);
    case T.FLOAT: return f7(a.f ?? 0);
    case T.STRING: return new TextDecoder().decode(a.s ?? new Uint8Array()).slice(0, 200);
    case T.INTS: return (a.ints ?? []).slice(0, 64).map(num);
    case T.FLOATS: return (a.floats ?? []).slice(0, 64).map(f7);
    default: return undefined;
  }
}

interface TensorRef {
  proto: onnx.ITensorProto;
  dims: number[];
  size: number;
  decoded?: Float32Array | number[];
}

/** Decodes an initializer or Constant tensor, or says what is wrong with it. */
function decodeTensor(ref: TensorRef, name: string): Float32Array | number[] | string {
  if (ref.decoded) return ref.decoded;
  const t = ref.proto;
  const T = onnx.TensorProto.DataType;
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) return `the tensor "${name}" keeps its data in an external file, which is not supported; save the model with its weights inside`;
  const raw = t.rawData && t.rawData.length ? t.rawData : undefined;
  const copy = (width: number) => {
    if (raw!.length !== ref.size * width) return undefined;
    const buf = new ArrayBuffer(raw!.length);
    new Uint8Array(buf).set(raw!);
    return buf;
  };
  let out: Float32Array | number[] | undefined;
  if (t.dataType === T.FLOAT) {
    if (raw) {
      const buf = copy(4);
      out = buf && new Float32Array(buf);
    } else if ((t.floatData ?? []).length === ref.size) out = Float32Array.from(t.floatData!);
  } else if (t.dataType === T.INT64) {
    if (raw) {
      const buf = copy(8);
      out = buf && Array.from(new BigInt64Array(buf), (v) => Number(v));
    } else if ((t.int64Data ?? []).length === ref.size) out = t.int64Data!.map(num);
  } else if (t.dataType === T.INT32) {
    if (raw) {
      const buf = copy(4);
      out = buf && Array.from(new Int32Array(buf));
    } else if ((t.int32Data ?? []).length === ref.size) out = t.int32Data!.map(num);
  } else if (t.dataType === T.DOUBLE) {
    if (raw) {
      const buf = copy(8);
      out = buf && Float32Array.from(new Float64Array(buf));
    } else if ((t.doubleData ?? []).length === ref.size) out = Float32Array.from(t.doubleData!);
  } else return `the tensor "${name}" has element type ${T[t.dataType ?? 0] ?? t.dataType}, which is not read (only FLOAT, DOUBLE, INT64 and INT32)`;
  if (!out) return `the tensor "${name}" should hold ${ref.size} values but its data does not match (the file may be cut short)`;
  ref.decoded = out;
  return out;
}

interface Value {
  /** The document node holding the tensor. */
  id: string;
  /** Its ONNX shape (batch axis first), when known. */
  shape?: number[];
  flatOrder?: [number, number, number];
  nonNegative: boolean;
}

const NON_NEGATIVE = new Set(['relu', 'relu6', 'sigmoid', 'softmax', 'step']);

/** The ONNX shape of a document shape (images NCHW), with a batch axis of 1. */
function onnxOf(shape: Shape | null): number[] | undefined {
  if (!shape) return undefined;
  return shape.length === 3 ? [1, shape[2], shape[0], shape[1]] : [1, ...shape];
}

/**
 * Reads an ONNX model into a graph document and its weights (tfjs layouts, by node id).
 *
 * @example
 * const r = fromOnnx(new Uint8Array(await file.arrayBuffer()));
 * if (r.ok) { replaceDocument(r.doc); r.messages.forEach(toast); }
 */
export function fromOnnx(bytes: Uint8Array): OnnxImport {
  const model = decodeModel(bytes);
  if (typeof model === 'string') return { ok: false, message: model };
  const graph = model.graph;
  if (!graph || !(graph.node ?? []).length || !model.opsetImport?.length) {
    return { ok: false, message: 'not an ONNX model: it has no graph of nodes or no opset (is it another kind of file?)' };
  }
  const nodes = graph.node!;
  if (nodes.length > MAX_ONNX_NODES) return { ok: false, message: `the model has ${nodes.length} nodes, more than the ${MAX_ONNX_NODES} Layerboard reads` };
  if (nodes.some((n) => typeof n.opType !== 'string' || !n.opType || (n.output ?? []).length === 0)) {
    return { ok: false, message: 'not a readable ONNX model: some nodes have no op type or no outputs (the file may be damaged)' };
  }
  const opset = num(model.opsetImport.find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 0);
  const messages: string[] = [];
  if (opset && opset < 9) messages.push(`The model uses opset ${opset}; Layerboard reads opset 9 and later, and some nodes may be read wrongly.`);

  // Constants: initializers, Constant nodes and Identity aliases of them.
  const refs = new Map<string, TensorRef>();
  let fileWeights = 0;
  for (const t of graph.initializer ?? []) {
    const dims = (t.dims ?? []).map(num);
    const size = dims.reduce((a, b) => a * b, 1);
    if (!t.name || dims.some((d) => !Number.isInteger(d) || d < 0) || size > 2 ** 31) {
      return { ok: false, message: `the initializer "${String(t.name).slice(0, 80)}" has impossible dimensions ${JSON.stringify(dims.slice(0, 8))} (the file may be damaged)` };
    }
    refs.set(t.name, { proto: t, dims, size });
    if (t.dataType === onnx.TensorProto.DataType.FLOAT) fileWeights += size;
  }
  const constantAlias = new Map<string, string>();
  const source = (name: string) => constantAlias.get(name) ?? name;
  const valueAlias = new Map<string, string>();
  const resolve = (name: string) => valueAlias.get(name) ?? name;
  /** Outputs of joined nodes whose own shape is not the joined layer's (GlobalAveragePool before its Flatten, ...). */
  const internal = new Set<string>();
  const join = (outer: string, inner: string) => {
    valueAlias.set(outer, inner);
    internal.add(inner);
  };

  // Who reads each value, for the joins.
  const readers = new Map<string, number[]>();
  nodes.forEach((n, i) => (n.input ?? []).forEach((x) => { if (x) readers.set(x, [...(readers.get(x) ?? []), i]); }));
  const graphOutputs = new Set((graph.output ?? []).map((o) => o.name ?? ''));
  const onlyReader = (value: string) => {
    const r = readers.get(value) ?? [];
    return r.length === 1 && !graphOutputs.has(value) ? r[0] : -1;
  };

  const views: (OnnxNodeView | null)[] = nodes.map((n, i) => ({
    op: n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : n.opType!,
    name: (n.name || `${n.opType}_${i}`).slice(0, 200),
    inputs: [...(n.input ?? [])],
    outputs: [...(n.output ?? [])],
    attrs: Object.fromEntries((n.attribute ?? []).slice(0, 64).map((a) => [a.name ?? '', attrValue(a)])),
  }));
  nodes.forEach((n, i) => {
    const v = views[i]!;
    if (v.op === 'Constant') {
      const a = (n.attribute ?? []).find((x) => x.name === 'value' && x.t);
      const scalar = (n.attribute ?? []).find((x) => x.name?.startsWith('value_'));
      let proto: onnx.ITensorProto | undefined = a?.t ?? undefined;
      if (!proto && scalar) {
        const value = attrValue(scalar);
        const list = Array.isArray(value) ? value : [Number(value)];
        proto = scalar.name === 'value_int' || scalar.name === 'value_ints'
          ? { dataType: onnx.TensorProto.DataType.INT64, dims: Array.isArray(value) ? [list.length] : [], int64Data: list }
          : { dataType: onnx.TensorProto.DataType.FLOAT, dims: Array.isArray(value) ? [list.length] : [], floatData: list };
      }
      if (proto) {
        const dims = (proto.dims ?? []).map(num);
        const size = dims.reduce((x, y) => x * y, 1);
        if (size <= 2 ** 31) refs.set(v.outputs[0], { proto, dims, size });
      }
      views[i] = null;
    }
  });
  views.forEach((v, i) => {
    if (v?.op === 'Identity' && refs.has(source(v.inputs[0]))) {
      constantAlias.set(v.outputs[0], source(v.inputs[0]));
      views[i] = null;
    }
  });
  const isConstant = (name: string | undefined) => !!name && refs.has(source(name));
  // Joins (marked before the walk; the walk reads the joined views).
  views.forEach((v, i) => {
    if (!v) return;
    if (v.op === 'Sigmoid') {
      const r = onlyReader(v.outputs[0]);
      const mul = r >= 0 ? views[r] : null;
      if (mul && mul.op === 'Mul' && mul.inputs.length === 2 && mul.inputs.includes(v.inputs[0]) && mul.inputs.includes(v.outputs[0])) {
        views[r] = { ...mul, op: SWISH_OP, inputs: [v.inputs[0]] };
        views[i] = null;
      }
    } else if (v.op === 'GlobalAveragePool' || v.op === 'GlobalMaxPool') {
      const r = onlyReader(v.outputs[0]);
      const flat = r >= 0 ? views[r] : null;
      if (flat && flat.op === 'Flatten' && (flat.attrs.axis ?? 1) === 1) {
        views[i] = { ...v, attrs: { ...v.attrs, 'layerboard.flatten': 1 } };
        views[r] = null;
        join(flat.outputs[0], v.outputs[0]);
      }
    } else if (v.op === 'Transpose' && JSON.stringify(v.attrs.perm) === '[0,2,3,1]') {
      // Our export's NCHW → NHWC before a Flatten or Reshape: the document's own order.
      const r = onlyReader(v.outputs[0]);
      const next = r >= 0 ? views[r] : null;
      if (next && (next.op === 'Flatten' || next.op === 'Reshape') && next.inputs[0] === v.outputs[0]) {
        views[r] = { ...next, inputs: [v.inputs[0], ...next.inputs.slice(1)], attrs: { ...next.attrs, 'layerboard.nhwcIn': 1 } };
        views[i] = null;
      }
    } else if (v.op === 'Greater' && isConstant(v.inputs[1])) {
      const r = onlyReader(v.outputs[0]);
      const cast = r >= 0 ? views[r] : null;
      if (cast && cast.op === 'Cast' && cast.attrs.to === onnx.TensorProto.DataType.FLOAT) {
        views[i] = { ...v, op: STEP_OP, inputs: v.inputs.slice(0, 2) };
        views[r] = null;
        join(cast.outputs[0], v.outputs[0]);
      }
    } else if (v.op === 'Gemm') {
      // Maxout: Gemm to units·pieces, Reshape to [-1, units, pieces], ReduceMax over the pieces.
      const r = onlyReader(v.outputs[0]);
      const reshape = r >= 0 ? views[r] : null;
      const shape = reshape?.op === 'Reshape' && isConstant(reshape.inputs[1]) ? refs.get(source(reshape.inputs[1])) : undefined;
      const dims = shape ? decodeTensor(shape, '') : undefined;
      const m = reshape ? onlyReader(reshape.outputs[0]) : -1;
      const max = m >= 0 ? views[m] : null;
      if (Array.isArray(dims) && dims.length === 3 && max?.op === 'ReduceMax' && max.attrs.keepdims === 0 && [2, -1].includes(Number((max.attrs.axes as number[] | undefined)?.[0]))) {
        views[i] = { ...v, op: MAXOUT_OP, attrs: { ...v.attrs, units: dims[1], pieces: dims[2] } };
        views[r] = null;
        views[m] = null;
        join(max.outputs[0], v.outputs[0]);
      }
    } else if (v.op === 'MatMul' && isConstant(v.inputs[1])) {
      const r = onlyReader(v.outputs[0]);
      const add = r >= 0 ? views[r] : null;
      const bias = add?.op === 'Add' ? add.inputs.find((x) => x !== v.outputs[0]) : undefined;
      if (add && bias && isConstant(bias) && add.inputs.length === 2) {
        views[i] = { ...v, inputs: [v.inputs[0], v.inputs[1], bias] };
        views[r] = null;
        join(add.outputs[0], v.outputs[0]);
      }
    }
  });

  // A Reshape to [N, H, W, C] that our export turns NCHW again: the document's own reshape.
  views.forEach((v) => {
    if (v?.op !== 'Reshape') return;
    const r = onlyReader(v.outputs[0]);
    const t = r >= 0 ? views[r] : null;
    if (t && t.op === 'Transpose' && JSON.stringify(t.attrs.perm) === '[0,3,1,2]') {
      v.attrs['layerboard.nhwcOut'] = 1;
      views[r] = null;
      join(t.outputs[0], v.outputs[0]);
    }
  });

  const readersOf = new Map<string, (typeof LAYERS)[number][]>();
  for (const spec of LAYERS) for (const op of spec.onnx?.ops ?? []) readersOf.set(op, [...(readersOf.get(op) ?? []), spec]);

  const docNodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const weights: NodeWeights = {};
  const values = new Map<string, Value>();
  const shapes = new Map<string, Shape | null>();
  const tensors: Record<string, string> = {};
  const leftOut: string[] = [];
  const ids = new Set<string>();
  const uniqueId = (base: string) => {
    let id = base;
    for (let k = 2; ids.has(id); k++) id = `${base}_${k}`;
    ids.add(id);
    return id;
  };
  const shapeCtx = (id: string): ShapeContext => ({
    inputName: () => '',
    error: (_c, message) => messages.push(`Node "${id}": ${message}`),
    warn: () => undefined,
  });
  /** Adds a node, works out its shape at once (readers after it need it) and returns it. */
  const addNode = (id: string, type: string, params: Obj, inputs: string[]): Shape | null => {
    const node: GraphNode = { id, type, params };
    docNodes.push(node);
    for (const s of inputs) edges.push({ source: s, target: id });
    const v = validateNode(node);
    const ins = inputs.map((s) => shapes.get(s) ?? null);
    let out: Shape | null = null;
    if (v.spec && v.params && ins.every((s) => s)) out = v.spec.inferShape(v.params, ins as Shape[], shapeCtx(id));
    shapes.set(id, out);
    return out;
  };

  // Graph inputs (initializers listed as inputs, as older exporters do, are constants).
  for (const input of graph.input ?? []) {
    const name = input.name ?? '';
    if (refs.has(name)) continue;
    const tt = input.type?.tensorType;
    const dims = (tt?.shape?.dim ?? []).map((d) => (d.dimValue !== undefined && d.dimValue !== null && num(d.dimValue) > 0 ? num(d.dimValue) : NaN));
    const id = uniqueId(name.slice(0, 200) || 'input');
    if (dims.length < 2 || dims.slice(1).some((d) => !Number.isFinite(d))) {
      messages.push(`Input "${id}": its shape ${JSON.stringify(dims.map((d) => (Number.isFinite(d) ? d : '?')))} has unknown sizes after the batch axis; set the shape of the Input layer.`);
    }
    if (tt?.elemType !== undefined && tt.elemType !== onnx.TensorProto.DataType.FLOAT) messages.push(`Input "${id}": its element type is ${onnx.TensorProto.DataType[tt.elemType ?? 0] ?? tt.elemType}; it is read as float32.`);
    const shape = dims.length >= 2 && dims.slice(1).every(Number.isFinite) ? docShape([1, ...dims.slice(1)]) : null;
    addNode(id, 'Input', shape ? { shape } : {}, []);
    values.set(name, { id, shape: shape ? [1, ...dims.slice(1)] : undefined, nonNegative: false });
    tensors[name] = id;
  }

  const claimed = new Set<string>();
  const sharedWeights = new Set<string>();
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  /** A small constant (or the static shape of a tensor, for Shape) as a fold input. */
  const foldInput = (name: string, op: string): Folded | undefined => {
    const ref = refs.get(source(name));
    if (ref) {
      if (ref.size > MAX_FOLD) return undefined;
      const decoded = decodeTensor(ref, source(name));
      return typeof decoded === 'string' ? undefined : { dims: ref.dims, values: Array.from(decoded), float: decoded instanceof Float32Array };
    }
    const shape = op === 'Shape' ? values.get(name)?.shape : undefined;
    return shape ? { dims: shape, values: [], float: true } : undefined;
  };
  views.forEach((v, index) => {
    if (!v) return;
    const inputs = v.inputs.map((x) => (x ? resolve(x) : x));
    if (FOLDABLE.has(v.op)) {
      const ins = inputs.map((x) => (x ? foldInput(x, v.op) : undefined));
      if (inputs.every((x, i) => !x || ins[i])) {
        const valueAttr = nodes[index].attribute?.find((a) => a.name === 'value')?.t;
        const value = valueAttr ? { proto: valueAttr, dims: (valueAttr.dims ?? []).map(num), size: 1 } : undefined;
        const decodedValue = value ? decodeTensor(value, 'value') : undefined;
        const folded = fold(v.op, ins, {
          ...v.attrs,
          value: decodedValue && typeof decodedValue !== 'string' ? { dims: [], values: Array.from(decodedValue), float: decodedValue instanceof Float32Array } : undefined,
        });
        if (folded) {
          refs.set(v.outputs[0], { proto: {}, dims: folded.dims, size: folded.values.length, decoded: folded.float ? Float32Array.from(folded.values) : folded.values });
          return;
        }
      }
    }
    if (v.op === 'Identity') {
      valueAlias.set(v.outputs[0], inputs[0]);
      const value = values.get(inputs[0]);
      if (value) values.set(v.outputs[0], value);
      return;
    }
    const constantAt = (i: number): OnnxConstant | undefined => {
      const name = inputs[i];
      if (!name) return undefined;
      const ref = refs.get(source(name));
      if (!ref) return undefined;
      const decoded = decodeTensor(ref, source(name));
      if (typeof decoded === 'string') throw new OnnxDataError(decoded);
      return { dims: ref.dims, values: decoded, float: decoded instanceof Float32Array, shared: claimed.has(source(name)), source: source(name) };
    };
    const title = `Node "${v.name}" (${v.op})`;
    const tensorIdx = inputs.map((x, i) => (x && !refs.has(source(x)) ? i : -1)).filter((i) => i >= 0);
    const missing = tensorIdx.filter((i) => !values.has(inputs[i]));
    const leave = (reason: string) => {
      leftOut.push(v.name);
      const from = tensorIdx.map((i) => values.get(inputs[i])).find((x) => x);
      if (from) for (const o of v.outputs) values.set(o, from);
      messages.push(`${title} is not supported: ${reason}. It is left out${from ? `, and the nodes after it take its input "${from.id}" instead` : ''}.`);
    };
    if (missing.length) {
      if (missing.length === tensorIdx.length) {
        leftOut.push(v.name);
        messages.push(`${title} is left out: its input "${inputs[missing[0]].slice(0, 200)}" is not made by any node before it.`);
        return;
      }
    }
    const ctx: OnnxReadContext = {
      opset,
      constant: constantAt,
      shape: (i) => values.get(inputs[i])?.shape,
      flatOrder: (i) => values.get(inputs[i])?.flatOrder,
      nonNegative: (i) => values.get(inputs[i])?.nonNegative ?? false,
    };
    const specs = readersOf.get(v.op) ?? [];
    let read: OnnxRead = null;
    try {
      for (const spec of specs) {
        read = spec.onnx!.read!(v, ctx);
        if (read) break;
      }
    } catch (e) {
      if (e instanceof OnnxDataError) return leave(e.message);
      return leave('its attributes or constants are not what the op takes');
    }
    for (const i of inputs.keys()) {
      const s = inputs[i] && source(inputs[i]);
      if (!s || !refs.has(s)) continue;
      if (claimed.has(s) && refs.get(s)!.proto.dataType === onnx.TensorProto.DataType.FLOAT && initializers.has(s)) sharedWeights.add(s);
      claimed.add(s);
    }
    if (!read) return leave(specs.length ? 'Layerboard has no layer that does what it does with these inputs' : 'Layerboard has no layer for this op');
    if ('reason' in read) return leave(read.reason);
    for (const note of read.notes ?? []) messages.push(`${title}: ${note}.`);
    const first = values.get(inputs[tensorIdx[0]]);
    if ('pass' in read) {
      if (first) for (const o of v.outputs) values.set(o, { ...first, flatOrder: read.flatOrder });
      return;
    }
    const feeds = (read.tensorInputs ?? tensorIdx).map((i) => values.get(inputs[i])).filter((x): x is Value => !!x).map((x) => x.id);
    const base = v.name;
    let last = '';
    let shape: Shape | null = null;
    read.layers.forEach((layer, k) => {
      const id = uniqueId(k === read.layers.length - 1 ? base : `${base}/${layer.type === 'ZeroPadding2D' ? 'pad' : layer.type}`);
      shape = addNode(id, layer.type, layer.params, k === 0 ? feeds : [last]);
      if (layer.weights?.length) weights[id] = layer.weights;
      last = id;
    });
    const lastLayer = read.layers[read.layers.length - 1];
    const act = lastLayer.type === 'Activation' ? String(lastLayer.params.activation) : undefined;
    const passes = read.layers.every((l) => l.type === 'Activation' || l.type === 'Dropout');
    const nonNegative = (act !== undefined && NON_NEGATIVE.has(act)) || (lastLayer.type === 'MaxPooling2D' && !!first?.nonNegative) || (passes && lastLayer.type === 'Dropout' && !!first?.nonNegative);
    values.set(v.outputs[0], { id: last, shape: onnxOf(shape), flatOrder: read.flatOrder ?? (passes ? first?.flatOrder : undefined), nonNegative });
    tensors[v.outputs[0]] = last;
  });
  for (const [from, to] of valueAlias) if (tensors[to] && !tensors[from]) tensors[from] = tensors[to];
  for (const name of internal) delete tensors[name];

  const joined = fuseActivations(docNodes, edges, weights, tensors);
  // torch stores equal tensors once (the ones and zeros of untrained BatchNorms): each layer counts its own copy.
  const counted = compile({ format: 'layerboard.graph', version: 1, nodes: joined.nodes, edges: joined.edges }).totals.totalParams;
  if (counted !== fileWeights && sharedWeights.size) {
    messages.push(`The file holds ${fileWeights} weights and the document counts ${counted}: ${sharedWeights.size} of the file's initializers are read by more than one layer (torch stores equal tensors once), and each layer counts its own copy.`);
  }
  const name = typeof graph.name === 'string' && graph.name ? graph.name.slice(0, 200) : undefined;
  return {
    ok: true,
    doc: { format: 'layerboard.graph', version: 1, ...(name ? { name } : {}), nodes: joined.nodes, edges: joined.edges },
    weights,
    messages,
    leftOut,
    tensors,
    fileWeights,
  };
}

class OnnxDataError extends Error {}

/** An Activation right after a Dense or convolution that feeds only it becomes that layer's activation. */
function fuseActivations(nodes: GraphNode[], edges: GraphEdge[], weights: NodeWeights, tensors: Record<string, string>): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const out = new Map<string, number>();
  const into = new Map<string, GraphEdge[]>();
  for (const e of edges) {
    out.set(e.source, (out.get(e.source) ?? 0) + 1);
    into.set(e.target, [...(into.get(e.target) ?? []), e]);
  }
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const fused = new Map<string, string>();
  for (const n of nodes) {
    if (n.type !== 'Activation') continue;
    const act = String(n.params.activation);
    if (act === 'leakyRelu' && n.params.alpha !== undefined && n.params.alpha !== 0.01) continue;
    const feeders = into.get(n.id) ?? [];
    if (feeders.length !== 1) continue;
    const host = byId.get(feeders[0].source);
    if (!host || !layerByType(host.type)?.fusedActivation || (host.params.activation ?? 'linear') !== 'linear' || out.get(host.id) !== 1) continue;
    if (needsActivationLayer(act) && act !== 'leakyRelu' && act !== 'step') continue;
    host.params = { ...host.params, activation: act };
    fused.set(n.id, host.id);
  }
  if (fused.size === 0) return { nodes, edges };
  for (const [k, id] of Object.entries(tensors)) if (fused.has(id)) tensors[k] = fused.get(id)!;
  for (const id of fused.keys()) delete weights[id];
  return {
    nodes: nodes.filter((n) => !fused.has(n.id)),
    edges: edges.filter((e) => !fused.has(e.target)).map((e) => (fused.has(e.source) ? { ...e, source: fused.get(e.source)! } : e)),
  };
}
