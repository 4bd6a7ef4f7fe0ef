/**
 * A layer's PyTorch form, the counterpart of its tfjs and Keras forms: the `torch.nn` module its
 * node becomes, the expression `forward` computes with it, and how its tfjs weights become that
 * module's `state_dict` entries. `emit/pytorch.ts` walks the graph and asks each layer module for
 * these; nothing about a particular layer type lives in the emitter.
 *
 * Layout: the document is channels-last (tfjs, Keras); the PyTorch model is what PyTorch users
 * expect, channels-first. Only rank-3 tensors ([h, w, c] images) change: they are held as
 * (N, C, H, W). Every other rank is held as in the document ((N, features), (N, steps,
 * features)), so a layer whose input or output is an image reads `isImage` and permutes where
 * its maths works on the last axis.
 */
import type { NamedWeight } from '../emit/weights';
import type { LayerIO } from '../layer-spec';
import type { Shape } from '../types';

/** One `state_dict` entry, its key relative to the layer's module, in PyTorch's layout. */
export interface TorchTensor {
  key: string;
  shape: number[];
  values: Float32Array;
}

/** What a layer's PyTorch form writes, given its validated params and its channels-last shapes. */
export interface PytorchForm<P> {
  /**
   * Why PyTorch cannot compute exactly what tfjs computes for these params, or null. The
   * exporter then writes no code for the model (never an approximation): the message, naming
   * the node, goes into the file as a comment and to the command line's standard error.
   */
  refuse?(p: P, io: LayerIO): string | null;
  /** Python source of the module's constructor, e.g. `nn.Linear(784, 10)`. Absent: no module (`forward` is a plain function). */
  module?(p: P, io: LayerIO): string;
  /**
   * The output expression from the inputs' expressions `xs` (PyTorch layout) and `m`, the
   * module (`self.conv1`). Absent: `m(xs[0])`. The fused activation is applied by the emitter.
   */
  forward?(p: P, io: LayerIO, xs: string[], m: string): string;
  /** The module's `state_dict` entries from the node's tfjs weights (in tfjs order and layout). */
  weights?(p: P, w: NamedWeight[], io: LayerIO): TorchTensor[];
  /** The parameters (relative keys) the node's L1/L2 factors penalise. */
  penalized?(p: P): string[];
  /** Python source the module or forward needs, by name (classes and functions written once per script). */
  helpers?(p: P, io: LayerIO): Record<string, string>;
}

/** True for the shapes held channels-first in PyTorch: [h, w, c] → (N, C, H, W). */
export function isImage(shape: Shape): boolean {
  return shape.length === 3;
}

/** The expression with its image moved channels-last (N, H, W, C), or unchanged for other ranks. */
export function toLast(x: string, shape: Shape): string {
  return isImage(shape) ? `${x}.permute(0, 2, 3, 1)` : x;
}

/** The expression of a channels-last rank-4 tensor moved back to (N, C, H, W), or unchanged for other ranks. */
export function toFirst(x: string, shape: Shape): string {
  return isImage(shape) ? `${x}.permute(0, 3, 1, 2)` : x;
}

/** The PyTorch dimension of a document axis index `j` (0-based, batch excluded) of a tensor of this shape. */
export function torchDim(j: number, shape: Shape): number {
  if (!isImage(shape)) return j + 1;
  return [2, 3, 1][j];
}

/** The shape as PyTorch holds it, batch first: `(N, 32, 14, 14)`. */
export function torchShapeText(shape: Shape): string {
  const s = isImage(shape) ? [shape[2], shape[0], shape[1]] : shape;
  return `(N, ${s.join(', ')})`;
}

/** Transposes a row-major array of `shape` by `perm` (numpy's `transpose(perm)`). */
export function transpose(values: Float32Array, shape: number[], perm: number[]): { shape: number[]; values: Float32Array } {
  const rank = shape.length;
  const outShape = perm.map((a) => shape[a]);
  const strides = new Array<number>(rank);
  let s = 1;
  for (let a = rank - 1; a >= 0; a--) {
    strides[a] = s;
    s *= shape[a];
  }
  const out = new Float32Array(values.length);
  const idx = new Array<number>(rank).fill(0);
  const inStrides = perm.map((a) => strides[a]);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let a = 0; a < rank; a++) src += idx[a] * inStrides[a];
    out[o] = values[src];
    for (let a = rank - 1; a >= 0; a--) {
      if (++idx[a] < outShape[a]) break;
      idx[a] = 0;
    }
  }
  return { shape: outShape, values: out };
}

/** A state_dict entry from a tfjs weight, transposed by `perm` (absent: as it is), reshaped to `shape` when given. */
export function entry(key: string, w: NamedWeight | undefined, perm?: number[], shape?: number[]): TorchTensor[] {
  if (!w) return [];
  const t = perm ? transpose(w.values, w.shape, perm) : { shape: w.shape, values: w.values };
  return [{ key, shape: shape ?? t.shape, values: t.values }];
}

/** The tfjs weight named `name` (`kernel`, `bias`, ...). */
export function weight(ws: NamedWeight[], name: string): NamedWeight | undefined {
  return ws.find((w) => w.name === name);
}

/**
 * TensorFlow's "same" padding along one axis: `[before, after]` zeros for this input length,
 * kernel, stride and dilation. With a stride, TensorFlow pads more after (bottom, right) than
 * before; PyTorch's symmetric `padding=` cannot say that, so the modules pad with `F.pad` first.
 */
export function samePads(length: number, kernel: number, stride: number, dilation = 1): [number, number] {
  const span = (kernel - 1) * dilation + 1;
  const out = Math.ceil(length / stride);
  const total = Math.max((out - 1) * stride + span - length, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/**
 * Padding for a 2-D window layer: `sym` when PyTorch's own `padding=` says it (the same on both
 * sides of each axis), else the `F.pad` tuple `(left, right, top, bottom)` to apply before it.
 */
export function windowPadding(padding: string, input: Shape, kernel: number[], strides: number[], dilation: number[] = [1, 1]):
  { sym: number[]; pad: number[] | null } {
  if (padding !== 'same') return { sym: kernel.map(() => 0), pad: null };
  const axes = kernel.map((k, a) => samePads(input[a], k, strides[a], dilation[a]));
  if (axes.every(([b, e]) => b === e)) return { sym: axes.map(([b]) => b), pad: null };
  // F.pad lists the last axis first.
  return { sym: kernel.map(() => 0), pad: [...axes].reverse().flat() };
}

/** `F.pad(x, (…))` when there is a padding tuple, else `x`. */
export function padExpr(x: string, pad: number[] | null, value?: string): string {
  return pad ? `F.pad(${x}, (${pad.join(', ')})${value ? `, value=${value}` : ''})` : x;
}

/** A Python tuple of numbers, `(3, 3)`. */
export function tuple(xs: readonly number[]): string {
  return xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(', ')})`;
}

/**
 * Python source of an activation applied to `x`, a tensor of the channels-last `shape` (softmax
 * takes the document's last axis, which is dim 1 for an image). `step` uses the `_step` helper.
 */
export function torchActivation(name: string, x: string, shape: Shape, alpha = 0.01): string {
  switch (name) {
    case 'linear': return x;
    case 'relu': return `F.relu(${x})`;
    case 'relu6': return `F.relu6(${x})`;
    case 'sigmoid': return `torch.sigmoid(${x})`;
    case 'tanh': return `torch.tanh(${x})`;
    case 'softmax': return `F.softmax(${x}, dim=${isImage(shape) ? 1 : -1})`;
    case 'elu': return `F.elu(${x})`;
    case 'selu': return `F.selu(${x})`;
    case 'softplus': return `F.softplus(${x})`;
    case 'softsign': return `F.softsign(${x})`;
    case 'swish': return `F.silu(${x})`;
    // tfjs's gelu is the exact one, x·Φ(x) with erf, as is PyTorch's default.
    case 'gelu': return `F.gelu(${x})`;
    case 'leakyRelu': return `F.leaky_relu(${x}, ${alpha})`;
    case 'step': return `_step(${x})`;
    default: throw new Error(`no PyTorch form for the activation "${name}"`);
  }
}

/** The Heaviside step with the zero gradient tfjs gives it. */
export const STEP_HELPER = `def _step(x):
    """1 where x > 0, else 0, as tfjs's step; no gradient flows through it (layers before it do not learn)."""
    return (x > 0).to(x.dtype)`;

/** Helpers for an activation, by name (`_step` for `step`). */
export function activationHelpers(name: string | undefined): Record<string, string> {
  return name === 'step' ? { _step: STEP_HELPER } : {};
}

/** A convolution module's constructor: `nn.Conv2d(3, 32, (3, 3), stride=(2, 2), padding=(1, 1), bias=False)`. */
export function convModule(cls: string, inChannels: number, outChannels: number,
  o: { kernel: number[]; strides: number[]; dilation?: number[]; groups?: number; bias: boolean }, sym: number[]): string {
  const args = [String(inChannels), String(outChannels), tuple(o.kernel)];
  if (o.strides.some((s) => s !== 1)) args.push(`stride=${tuple(o.strides)}`);
  if (sym.some((s) => s !== 0)) args.push(`padding=${tuple(sym)}`);
  if (o.dilation && o.dilation.some((d) => d !== 1)) args.push(`dilation=${tuple(o.dilation)}`);
  if (o.groups && o.groups !== 1) args.push(`groups=${o.groups}`);
  if (!o.bias) args.push('bias=False');
  return `${cls}(${args.join(', ')})`;
}

/** A number as Python reads it back exactly as written in the document (0.1, 1e-05). */
export function pyNumber(n: number): string {
  const r = Number(n.toPrecision(12));
  return Number.isInteger(r) ? `${r}.0` : String(r);
}
