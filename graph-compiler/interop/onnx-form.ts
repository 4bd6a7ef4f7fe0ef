/**
 * How a layer module writes itself into an ONNX graph and reads itself back: the `onnx` form of
 * a LayerSpec, beside its `tfjs` form. The walks (`emit/onnx.ts`, `interop/onnx-import.ts`) do
 * everything generic (names, initializers, the protobuf, graph inputs and outputs, patterns that
 * span several ONNX nodes); a module only says which ONNX nodes it becomes and which it reads.
 *
 * Layout: image tensors (rank 3 in a document, `[height, width, channels]`) are NCHW in ONNX,
 * `[N, channels, height, width]`, as PyTorch has them, graph inputs included. Every other tensor
 * keeps the document's order with the batch axis in front (`[N, units]`, `[N, steps, features]`).
 */
import type { NamedWeight } from '../emit/weights';
import type { Shape } from '../types';

type Obj = Record<string, unknown>;

/** An attribute value, tagged with its ONNX type. */
export type OnnxAttr = { i: number } | { f: number } | { s: string } | { ints: number[] } | { floats: number[] };

/** The tensors a node's `write` connects: ONNX value names and the document shapes behind them. */
export interface OnnxWriteIO {
  /** ONNX value names of the inputs, in edge order (NCHW for images). */
  inputs: string[];
  /** Document shapes of the inputs (no batch axis, channels last). */
  inShapes: Shape[];
  /** Document shape of the output. */
  outShape: Shape;
}

/** What a module's `write` may add to the graph. Names are made unique and safe by the walk. */
export interface OnnxWriter {
  /** Declares a graph input of this document shape (NCHW for images) and returns its name. */
  graphInput(shape: Shape): string;
  /** Adds a node and returns the name of its (first) output. */
  node(op: string, inputs: string[], attrs?: Record<string, OnnxAttr>): string;
  /** Adds a FLOAT initializer (a weight) in ONNX layout and returns its name. */
  weight(name: string, dims: number[], values: Float32Array): string;
  /** A Constant node (not a weight): INT64 for shapes and pads, FLOAT for bounds and rates. */
  constant(name: string, dims: number[], values: number[], type: 'int64' | 'float'): string;
  /** Applies one of our activation names to `x` (a tensor of document rank `rank`). */
  activation(name: string, x: string, rank: number, alpha?: number): string;
  /** An image tensor NCHW → NHWC, and back. */
  toNhwc(x: string): string;
  toNchw(x: string): string;
}

/** The ONNX node being read, its attributes decoded. */
export interface OnnxNodeView {
  op: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, number | number[] | string | undefined>;
}

/** A tensor fed by the file's weights or a Constant node. */
export interface OnnxConstant {
  dims: number[];
  /** FLOAT values, or integer values for INT64/INT32 tensors. */
  values: Float32Array | number[];
  float: boolean;
  /** True when an earlier node of the file already read it (torch shares equal initializers). */
  shared: boolean;
  /** The initializer's name (Identity and Constant aliases resolved). */
  source: string;
}

/** What a reader can ask about its node's inputs. */
export interface OnnxReadContext {
  /** The file's opset (default-axis rules changed at 13). */
  opset: number;
  /** The constant behind input `i`, if it is one. */
  constant(i: number): OnnxConstant | undefined;
  /** The ONNX shape (batch axis included) of tensor input `i`, if it is a tensor. */
  shape(i: number): number[] | undefined;
  /**
   * For a flat tensor made by flattening an NCHW image with more than one position: the image's
   * `[channels, height, width]`. Its values are in channel-major order, where the document's
   * Flatten (of `[height, width, channels]`) gives position-major order; a Dense after it reorders
   * its weight rows.
   */
  flatOrder(i: number): [number, number, number] | undefined;
  /** Whether tensor input `i` is known to be ≥ 0 (made by Relu, relu6, sigmoid or max pooling of those). */
  nonNegative(i: number): boolean;
}

/** One layer a node becomes, with its weights in tfjs layouts (kernel [kh, kw, in, out], ...). */
export interface OnnxLayer {
  type: string;
  params: Obj;
  weights?: NamedWeight[];
}

/**
 * A reader's answer: a chain of layers (each feeds the next; the first takes the node's tensor
 * inputs `tensorInputs`, by default every input that is not a constant); `pass` when the node
 * changes nothing the document needs to show; `reason` when it cannot be represented; `null`
 * when this module does not read this node (another module with the same op may).
 */
export type OnnxRead =
  | { layers: OnnxLayer[]; notes?: string[]; tensorInputs?: number[]; flatOrder?: [number, number, number] }
  | { pass: true; notes?: string[]; flatOrder?: [number, number, number] }
  | { reason: string }
  | null;

/** How a layer type is written to and read from ONNX. */
export interface OnnxForm<P> {
  /**
   * Writes the node: returns the ONNX value name of its output, or a reason why ONNX gets no
   * form of it. `p` has its defaults filled in; `weights` are the node's tfjs weights in tfjs
   * order and layout (absent for layers without weights).
   */
  write(p: P, io: OnnxWriteIO, weights: NamedWeight[], ctx: OnnxWriter): string | { reason: string };
  /** The ONNX ops this module reads. */
  ops?: readonly string[];
  read?(node: OnnxNodeView, ctx: OnnxReadContext): OnnxRead;
}

/** `{reason}` for a layer the exporter does not write. */
export function notInOnnx(what: string): { reason: string } {
  return { reason: what };
}

/** A weight by its tfjs short name, or an error naming what is missing. */
export function weightOf(weights: NamedWeight[], name: string): NamedWeight {
  const w = weights.find((x) => x.name === name);
  if (!w) throw new Error(`the weight "${name}" is missing`);
  return w;
}

/** Moves the axes of a dense row-major array: `out[perm-indexed] = values`; `dims` are the source dims. */
export function transpose(values: Float32Array, dims: number[], perm: number[]): { dims: number[]; values: Float32Array } {
  const rank = dims.length;
  const outDims = perm.map((p) => dims[p]);
  if (rank === 2 && perm[0] === 1) {
    // The common case (Gemm weights), kept fast for VGG's 100 M-value matrices.
    const [r, c] = dims;
    const out = new Float32Array(values.length);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = values[i * c + j];
    return { dims: outDims, values: out };
  }
  const strides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    strides[i] = s;
    s *= dims[i];
  }
  const permStrides = perm.map((p) => strides[p]);
  if (rank === 4) {
    // Convolution kernels: four plain loops (the general walk below is several times slower).
    const [d0, d1, d2, d3] = outDims;
    const [s0, s1, s2, s3] = permStrides;
    const out = new Float32Array(values.length);
    let o = 0;
    for (let a = 0; a < d0; a++) for (let b = 0; b < d1; b++) for (let c = 0; c < d2; c++) {
      const base = a * s0 + b * s1 + c * s2;
      for (let d = 0; d < d3; d++) out[o++] = values[base + d * s3];
    }
    return { dims: outDims, values: out };
  }
  const out = new Float32Array(values.length);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let a = 0; a < rank; a++) src += idx[a] * permStrides[a];
    out[o] = values[src];
    for (let a = rank - 1; a >= 0; a--) {
      if (++idx[a] < outDims[a]) break;
      idx[a] = 0;
    }
  }
  return { dims: outDims, values: out };
}

/**
 * TensorFlow's `same` padding of one axis: the total `max((out − 1)·s + span − L, 0)`, the odd
 * cell at the end (bottom/right), which PyTorch-style symmetric padding cannot say.
 */
export function samePads(length: number, kernel: number, stride: number, dilation = 1): [number, number] {
  const span = (kernel - 1) * dilation + 1;
  const out = Math.ceil(length / stride);
  const total = Math.max((out - 1) * stride + span - length, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** ONNX `pads` ([t, l, b, r]) of a window layer with our `valid`/`same` padding. */
export function windowPads(hw: number[], kernel: number[], strides: number[], padding: string, dilation: number[] = [1, 1]): number[] {
  if (padding !== 'same') return [0, 0, 0, 0];
  const [t, b] = samePads(hw[0], kernel[0], strides[0], dilation[0]);
  const [l, r] = samePads(hw[1], kernel[1], strides[1], dilation[1]);
  return [t, l, b, r];
}

/**
 * How ONNX `pads` [t, l, b, r] of a window layer read in a document: `same` when they are
 * exactly TensorFlow's `same` padding for this input, else explicit zero padding before a
 * `valid` window (`pad`, null when there is none).
 */
export function readPads(pads: number[] | undefined, hw: number[], kernel: number[], strides: number[], dilation: number[] = [1, 1]):
  { padding: 'valid' | 'same'; pad: [[number, number], [number, number]] | null } {
  const [t, l, b, r] = pads && pads.length === 4 ? pads : [0, 0, 0, 0];
  if (t === 0 && l === 0 && b === 0 && r === 0) return { padding: 'valid', pad: null };
  const same = windowPads(hw, kernel, strides, 'same', dilation);
  if (same[0] === t && same[1] === l && same[2] === b && same[3] === r) return { padding: 'same', pad: null };
  return { padding: 'valid', pad: [[t, b], [l, r]] };
}

/** The ZeroPadding2D layer of explicit pads. */
export function zeroPadLayer(pad: [[number, number], [number, number]]): OnnxLayer {
  return { type: 'ZeroPadding2D', params: { padding: pad } };
}

/** `[3, 3]` → 3, `[3, 5]` stays: how documents write pairs. */
export function pairParam(v: number[]): number | number[] {
  return v.length === 2 && v[0] === v[1] ? v[0] : v;
}

/** Our activation name of an ONNX activation node, or why it has none. */
export type ReadActivation = { activation: string; alpha?: number } | { reason: string };

/** A tfjs weight moved to ONNX layout (or back): its values with axes permuted. */
export function permuted(w: { shape: number[]; values: Float32Array }, perm: number[]): { dims: number[]; values: Float32Array } {
  return transpose(w.values, w.shape, perm);
}

/** Writes an ONNX Conv of an NCHW image `x` of document shape `shape`; returns its output. */
export function writeConv(ctx: OnnxWriter, x: string, shape: Shape, kernel: { dims: number[]; values: Float32Array }, bias: Float32Array | undefined,
  o: { kernelSize: number[]; strides: number[]; padding: string; dilation?: number[]; group?: number }, name = 'kernel'): string {
  const dilation = o.dilation ?? [1, 1];
  const inputs = [x, ctx.weight(name, kernel.dims, kernel.values), ...(bias ? [ctx.weight('bias', [bias.length], bias)] : [])];
  return ctx.node('Conv', inputs, {
    kernel_shape: { ints: o.kernelSize }, strides: { ints: o.strides }, dilations: { ints: dilation },
    pads: { ints: windowPads(shape, o.kernelSize, o.strides, o.padding, dilation) }, group: { i: o.group ?? 1 },
  });
}

const ints = (v: unknown, n: number, fallback: number): number[] => (Array.isArray(v) && v.length === n ? v.map(Number) : new Array<number>(n).fill(fallback));

/**
 * The window of an ONNX Conv or pooling node over an NCHW input of height and width `hw`: its
 * strides and dilations, and the pads [t, l, b, r] its `auto_pad` or `pads` (and, for pooling,
 * `ceil_mode`) amount to.
 */
export function readWindow(node: OnnxNodeView, hw: number[], kernel: number[]): { strides: number[]; dilations: number[]; pads: number[]; ceilExtra: boolean } | { reason: string } {
  const strides = ints(node.attrs.strides, 2, 1);
  const dilations = ints(node.attrs.dilations, 2, 1);
  if ([...strides, ...dilations, ...kernel].some((v) => !Number.isInteger(v) || v < 1)) return { reason: 'its kernel, strides or dilations are not positive whole numbers' };
  const autoPad = String(node.attrs.auto_pad ?? 'NOTSET');
  let pads: number[];
  if (autoPad === 'VALID') pads = [0, 0, 0, 0];
  else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    pads = windowPads(hw, kernel, strides, 'same', dilations);
    if (autoPad === 'SAME_LOWER') pads = [pads[2], pads[3], pads[0], pads[1]];
  } else if (autoPad === 'NOTSET') pads = ints(node.attrs.pads, 4, 0);
  else return { reason: `auto_pad "${autoPad}" is not an ONNX padding mode` };
  if (pads.some((v) => !Number.isInteger(v) || v < 0)) return { reason: `pads ${JSON.stringify(node.attrs.pads)} are not whole numbers ≥ 0` };
  let ceilExtra = false;
  if (node.attrs.ceil_mode === 1) {
    for (let a = 0; a < 2; a++) {
      const span = (kernel[a] - 1) * dilations[a] + 1;
      const len = hw[a] + pads[a] + pads[a + 2];
      const extra = (Math.ceil((len - span) / strides[a]) + 1 - 1) * strides[a] + span - len;
      if (extra > 0) {
        pads[a + 2] += extra;
        ceilExtra = true;
      }
    }
  }
  return { strides, dilations, pads, ceilExtra };
}

/** Bias values of input `i`, or none: a zero bias torch shares between layers is read as no bias after its first reader. */
export function readBias(ctx: OnnxReadContext, i: number, size: number): { values?: Float32Array } | { reason: string } {
  const c = ctx.constant(i);
  if (!c) return {};
  if (!c.float || c.values.length !== size) return { reason: `its bias has ${c.values.length} values where ${size} were expected` };
  if (c.shared && (c.values as Float32Array).every((v) => v === 0)) return {};
  return { values: Float32Array.from(c.values) };
}

const POOLS = { MaxPooling2D: 'MaxPool', AveragePooling2D: 'AveragePool' } as const;
export type PoolType = keyof typeof POOLS;

/** Writes MaxPooling2D / AveragePooling2D (TensorFlow's `same` excludes the padding, as ONNX's `count_include_pad` 0). */
export function writePool(type: keyof typeof POOLS, p: { poolSize: number[]; strides?: number[]; padding: string }, io: OnnxWriteIO, ctx: OnnxWriter): string {
  const strides = p.strides ?? p.poolSize;
  return ctx.node(POOLS[type], [io.inputs[0]], {
    kernel_shape: { ints: p.poolSize }, strides: { ints: strides }, pads: { ints: windowPads(io.inShapes[0], p.poolSize, strides, p.padding) },
  });
}

/** Reads an ONNX MaxPool / AveragePool as the pooling layer `type`, after a ZeroPadding2D where its pads need one. */
export function readPool(type: keyof typeof POOLS, node: OnnxNodeView, ctx: OnnxReadContext): OnnxRead {
  if (node.op !== POOLS[type]) return null;
  const x = ctx.shape(0);
  if (!x || x.length !== 4) return { reason: `its input is not an NCHW image (shape ${JSON.stringify(x)})` };
  const kernel = Array.isArray(node.attrs.kernel_shape) ? node.attrs.kernel_shape : [];
  if (kernel.length !== 2) return { reason: 'only 2-D pooling (kernel_shape of two numbers) is read' };
  const win = readWindow(node, x.slice(2), kernel);
  if ('reason' in win) return win;
  if (win.dilations.some((d) => d !== 1)) return { reason: `dilations ${win.dilations.join('×')} are not supported in pooling` };
  const includePad = node.attrs.count_include_pad === 1;
  const max = type === 'MaxPooling2D';
  const [t, l, b, r] = win.pads;
  const same = windowPads(x.slice(2), kernel, win.strides, 'same');
  const notes: string[] = [];
  let padding: 'valid' | 'same' = 'valid';
  let pad: [[number, number], [number, number]] | null = null;
  if (t + l + b + r === 0) padding = 'valid';
  else if (same.every((v, i) => v === win.pads[i]) && (max || !includePad)) padding = 'same';
  else {
    pad = [[t, b], [l, r]];
    if (max && !ctx.nonNegative(0)) notes.push('its padding is read as ZeroPadding2D: ONNX max pooling ignores padded cells, zeros change the result where every value in a window is negative');
    if (!max && (!includePad || win.ceilExtra)) notes.push('its padding is read as ZeroPadding2D: the windows at the edges average the padded zeros, which ONNX leaves out of the count');
  }
  const strides = win.strides[0] === kernel[0] && win.strides[1] === kernel[1] ? {} : { strides: pairParam(win.strides) };
  return {
    layers: [...(pad ? [zeroPadLayer(pad)] : []), { type, params: { poolSize: pairParam(kernel), ...strides, ...(padding === 'same' ? { padding } : {}) } }],
    notes,
  };
}

const GLOBAL_POOLS = { GlobalAveragePooling2D: ['GlobalAveragePool', 'AveragePooling2D'], GlobalMaxPooling2D: ['GlobalMaxPool', 'MaxPooling2D'] } as const;
export type GlobalPoolType = keyof typeof GLOBAL_POOLS;

/** ONNX keeps the 1×1 spatial axes of a global pooling; the document's layer drops them, so a Flatten follows. */
export function writeGlobalPool(type: keyof typeof GLOBAL_POOLS, io: OnnxWriteIO, ctx: OnnxWriter): string {
  return ctx.node('Flatten', [ctx.node(GLOBAL_POOLS[type][0], [io.inputs[0]])], { axis: { i: 1 } });
}

/**
 * Reads GlobalAveragePool / GlobalMaxPool: with the Flatten after it (which the walk joins,
 * attribute `layerboard.flatten`) it is the global pooling layer; alone it keeps its 1×1
 * spatial axes, which a pooling window of the whole image does too.
 */
export function readGlobalPool(type: keyof typeof GLOBAL_POOLS, node: OnnxNodeView, ctx: OnnxReadContext): OnnxRead {
  const x = ctx.shape(0);
  if (node.op === 'ReduceMean' || node.op === 'ReduceMax') {
    // x.mean([2, 3]) in torch: a global pooling when it reduces height and width only.
    const axes = (Array.isArray(node.attrs.axes) ? node.attrs.axes : []).map((a) => (a < 0 ? a + (x?.length ?? 0) : a)).sort();
    if (!x || x.length !== 4 || JSON.stringify(axes) !== '[2,3]') return null;
    if ((node.attrs.keepdims ?? 1) === 0) return { layers: [{ type, params: {} }] };
    return { layers: [{ type: GLOBAL_POOLS[type][1], params: { poolSize: pairParam(x.slice(2)) } }] };
  }
  if (!x || x.length !== 4) return { reason: `its input is not an NCHW image (shape ${JSON.stringify(x)})` };
  if (node.attrs['layerboard.flatten'] === 1) return { layers: [{ type, params: {} }] };
  return { layers: [{ type: GLOBAL_POOLS[type][1], params: { poolSize: pairParam(x.slice(2)) } }] };
}

/** The document axis (1-based after the batch axis, or -1 for channels) of an ONNX axis of a tensor of ONNX rank `rank`. */
export function docAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  if (a <= 0 || a >= rank) return undefined;
  if (rank === 4) return a === 1 ? -1 : a - 1;
  return a;
}

/** The ONNX axis of a document axis of a tensor of document rank `rank`. */
export function onnxAxis(axis: number, rank: number): number {
  const a = axis < 0 ? rank + axis : axis - 1;
  return rank === 3 ? [2, 3, 1][a] : a + 1;
}

/** A document shape (channels last) of an ONNX shape with its batch axis. */
export function docShape(shape: number[]): number[] {
  const s = shape.slice(1);
  return s.length === 3 ? [s[1], s[2], s[0]] : s;
}

/** Reads an ONNX Conv: `Conv2D` takes group 1, `DepthwiseConv2D` one group per input channel. */
export function readConv(type: 'Conv2D' | 'DepthwiseConv2D', node: OnnxNodeView, ctx: OnnxReadContext): OnnxRead {
  const group = Number(node.attrs.group ?? 1);
  if ((type === 'Conv2D') !== (group === 1)) return null;
  const W = ctx.constant(1);
  if (!W || !W.float || W.dims.length !== 4) return { reason: 'its weights are not a constant 4-D tensor (only 2-D convolutions with their weights in the file are read)' };
  const x = ctx.shape(0);
  if (!x || x.length !== 4) return { reason: `its input is not an NCHW image (shape ${JSON.stringify(x)})` };
  const [cout, cinG, kh, kw] = W.dims;
  const cin = x[1];
  if (type === 'DepthwiseConv2D' && !(group === cin && cinG === 1 && cout % cin === 0)) {
    return { reason: `group ${group} makes a grouped convolution of ${cinG} input channels per group; only group 1 and depthwise convolutions (group = the ${cin} input channels) are read` };
  }
  if (type === 'Conv2D' && cinG !== cin) return { reason: `its weights take ${cinG} input channels but its input has ${cin}` };
  const win = readWindow(node, x.slice(2), [kh, kw]);
  if ('reason' in win) return win;
  if (type === 'DepthwiseConv2D' && win.dilations.some((d) => d !== 1)) return { reason: 'dilated depthwise convolutions are not supported' };
  const bias = readBias(ctx, 2, cout);
  if ('reason' in bias) return bias;
  const pads = readPads(win.pads, x.slice(2), [kh, kw], win.strides, win.dilations);
  const params: Obj = {
    ...(type === 'Conv2D' ? { filters: cout } : cout / cin > 1 ? { depthMultiplier: cout / cin } : {}),
    kernelSize: pairParam([kh, kw]),
    ...(win.strides.some((s) => s !== 1) ? { strides: pairParam(win.strides) } : {}),
    ...(pads.padding === 'same' ? { padding: 'same' } : {}),
    ...(win.dilations.some((d) => d !== 1) ? { dilationRate: pairParam(win.dilations) } : {}),
    ...(bias.values ? {} : { useBias: false }),
  };
  const values = Float32Array.from(W.values);
  const kernel = type === 'Conv2D'
    ? { name: 'kernel', ...transposeNamed(values, W.dims, [2, 3, 1, 0]) }
    : { name: 'depthwise_kernel', ...transposeNamed(values, [cin, cout / cin, kh, kw], [2, 3, 0, 1]) };
  const weights: NamedWeight[] = [{ ...kernel, trainable: true }];
  if (bias.values) weights.push({ name: 'bias', shape: [cout], values: bias.values, trainable: true });
  return { layers: [...(pads.pad ? [zeroPadLayer(pads.pad)] : []), { type, params, weights }], tensorInputs: [0] };
}

function transposeNamed(values: Float32Array, dims: number[], perm: number[]): { shape: number[]; values: Float32Array } {
  const t = transpose(values, dims, perm);
  return { shape: t.dims, values: t.values };
}

/**
 * Reads Gemm (A·B + C, B maybe transposed, alpha and beta folded into the weights) and MatMul
 * (with the bias of the Add after it, which the walk joins as a third input) as Dense. After a
 * channel-major flatten the weight rows are reordered to the document's position-major order.
 */
export function readDense(node: OnnxNodeView, ctx: OnnxReadContext): OnnxRead {
  const B = ctx.constant(1);
  if (!B || !B.float || B.dims.length !== 2) return { reason: 'its second input is not a constant matrix (only layers with their weights in the file are read)' };
  const gemm = node.op !== 'MatMul';
  if (gemm && node.attrs.transA === 1) return { reason: 'transA 1 (a transposed input) is not supported' };
  const x = ctx.shape(0);
  if (!x || x.length < 2 || x.length > 3) return { reason: `its input has shape ${JSON.stringify(x)}; only [batch, features] and [batch, steps, features] are read` };
  const transB = gemm && node.attrs.transB === 1;
  const [n, units] = transB ? [B.dims[1], B.dims[0]] : B.dims;
  if (n !== x[x.length - 1]) return { reason: `its weights take ${n} features but its input has ${x[x.length - 1]}` };
  let kernel: Float32Array = Float32Array.from(B.values);
  if (transB) kernel = transpose(kernel, B.dims, [1, 0]).values;
  const alpha = gemm && typeof node.attrs.alpha === 'number' ? node.attrs.alpha : 1;
  const beta = gemm && typeof node.attrs.beta === 'number' ? node.attrs.beta : 1;
  if (alpha !== 1) kernel = kernel.map((v) => v * alpha);
  const order = ctx.flatOrder(0);
  if (order) {
    // ONNX row c·H·W + h·W + w is the document's row (h·W + w)·C + c.
    const [C, H, Wd] = order;
    const re = new Float32Array(kernel.length);
    for (let c = 0; c < C; c++) for (let p = 0; p < H * Wd; p++) re.set(kernel.subarray((c * H * Wd + p) * units, (c * H * Wd + p + 1) * units), (p * C + c) * units);
    kernel = re;
  }
  const bias = readBias(ctx, 2, units);
  if ('reason' in bias) return { reason: `${bias.reason} (C must be one value per unit)` };
  const weights: NamedWeight[] = [{ name: 'kernel', shape: [n, units], values: kernel, trainable: true }];
  if (bias.values) weights.push({ name: 'bias', shape: [units], values: beta === 1 ? bias.values : bias.values.map((v) => v * beta), trainable: true });
  return { layers: [{ type: 'Dense', params: { units, ...(bias.values ? {} : { useBias: false }) }, weights }], tensorInputs: [0] };
}

/** Reads Reshape with a constant shape (`0` copies an axis, `-1` is inferred; the first axis is the batch). */
export function readReshape(node: OnnxNodeView, ctx: OnnxReadContext): OnnxRead {
  const target = ctx.constant(1);
  const nhwcIn = node.attrs['layerboard.nhwcIn'] === 1;
  const nhwcOut = node.attrs['layerboard.nhwcOut'] === 1;
  const x0 = ctx.shape(0);
  // After our export's Transpose to NHWC, the reshape reads [N, H, W, C].
  const x = x0 && nhwcIn && x0.length === 4 ? [x0[0], x0[2], x0[3], x0[1]] : x0;
  if (!target || target.float) return { reason: 'its shape is not a constant list of whole numbers' };
  if (!x) return { reason: 'its input shape is unknown' };
  const t = Array.from(target.values as number[]);
  if (t.length < 2) return { reason: `the shape ${JSON.stringify(t)} drops the batch axis` };
  const total = x.slice(1).reduce((a, b) => a * b, 1);
  const dims = t.slice(1).map((d, i) => (d === 0 ? x[i + 1] : d));
  const known = dims.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const resolved = dims.map((d) => (d === -1 ? total / known : d));
  if (t[0] !== 0 && t[0] !== -1 && t[0] !== 1 && t[0] !== x[0]) return { reason: `the shape ${JSON.stringify(t)} changes the batch axis` };
  if (resolved.some((d) => !Number.isInteger(d) || d <= 0) || resolved.reduce((a, b) => a * b, 1) !== total) {
    return { reason: `the shape ${JSON.stringify(t)} does not hold the ${total} values of its input` };
  }
  const onnxOut = [x[0], ...resolved];
  if (x.length <= 2 && onnxOut.length <= 2) return { pass: true, flatOrder: ctx.flatOrder(0) };
  const notes: string[] = [];
  // A channel-major image: an NCHW tensor with more than one position that no Transpose made NHWC.
  const channelMajorIn = x.length === 4 && !nhwcIn && x[2] * x[3] > 1;
  const channelMajorOut = onnxOut.length === 4 && !nhwcOut && onnxOut[2] * onnxOut[3] > 1;
  let flat: [number, number, number] | undefined;
  if (channelMajorIn && onnxOut.length === 2) flat = [x[1], x[2], x[3]];
  else if (channelMajorIn || channelMajorOut) notes.push('the document reshapes channels-last tensors, so its values are in another order than in the file');
  const targetShape = nhwcOut ? onnxOut.slice(1) : docShape(onnxOut);
  return { layers: [{ type: 'Reshape', params: { targetShape } }], notes, flatOrder: flat, tensorInputs: [0] };
}

/** ONNX has no Swish op; torch writes SiLU as x · Sigmoid(x), which the import walk joins into this pseudo-op. */
export const SWISH_OP = 'layerboard.Swish';
/** Our export writes the step as Cast(Greater(x, 0)); the import walk joins them into this pseudo-op. */
export const STEP_OP = 'layerboard.Step';
/** Our export writes Maxout as Gemm, Reshape and ReduceMax; the import walk joins them into this pseudo-op. */
export const MAXOUT_OP = 'layerboard.Maxout';

const f7 = (v: number) => Number(v.toPrecision(7));

/** Our activation of an ONNX activation node, or why we have none. */
export function readOnnxActivation(node: OnnxNodeView, ctx: OnnxReadContext): ReadActivation {
  const a = node.attrs;
  switch (node.op) {
    case 'Relu': return { activation: 'relu' };
    case 'Sigmoid': return { activation: 'sigmoid' };
    case 'Tanh': return { activation: 'tanh' };
    case 'Softplus': return { activation: 'softplus' };
    case 'Softsign': return { activation: 'softsign' };
    case SWISH_OP: return { activation: 'swish' };
    case STEP_OP:
      return ctx.constant(1)?.values[0] === 0 ? { activation: 'step' } : { reason: 'only a step at 0 is read' };
    case 'LeakyRelu': return { activation: 'leakyRelu', alpha: typeof a.alpha === 'number' ? f7(a.alpha) : 0.01 };
    case 'Elu':
      return (a.alpha ?? 1) === 1 ? { activation: 'elu' } : { reason: `alpha ${a.alpha} is not supported (only 1, as elu)` };
    case 'Selu':
      return (a.alpha === undefined || Math.abs(Number(a.alpha) - 1.6732632) < 1e-6) && (a.gamma === undefined || Math.abs(Number(a.gamma) - 1.0507010) < 1e-6)
        ? { activation: 'selu' } : { reason: 'only the standard alpha and gamma of selu are supported' };
    case 'Clip': {
      const min = ctx.constant(1)?.values[0] ?? (typeof a.min === 'number' ? a.min : -Infinity);
      const max = ctx.constant(2)?.values[0] ?? (typeof a.max === 'number' ? a.max : Infinity);
      if (min === 0 && max === 6) return { activation: 'relu6' };
      if (min === 0 && max >= 3.4e38) return { activation: 'relu' };
      return { reason: `clipping to [${min}, ${max}] is not supported (only [0, 6], as relu6)` };
    }
    case 'Softmax': {
      const rank = ctx.shape(0)?.length ?? 0;
      const axis = Number(a.axis ?? (ctx.opset >= 13 ? -1 : 1));
      const last = axis === -1 || axis === rank - 1;
      if (rank === 4 ? axis === 1 : last && (ctx.opset >= 13 || rank === 2)) return { activation: 'softmax' };
      return { reason: `softmax over axis ${axis} of a rank-${rank} tensor is not supported (only over the channels or features)` };
    }
    case 'HardSigmoid':
    case 'HardSwish':
      return { reason: `Layerboard has no ${node.op === 'HardSigmoid' ? 'hard sigmoid' : 'hard swish'} activation` };
    default:
      return { reason: 'not an activation' };
  }
}
