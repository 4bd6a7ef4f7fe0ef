/**
 * The neuron view's maths, as plain numbers (no tfjs): which graphs are a small dense chain
 * (Input → Dense … → Dense, with Activation and Dropout nodes between them), and, from the
 * weights of such a chain, one example's forward pass (z = W·x + b and a = f(z) per layer),
 * every neuron's output over the 2-D input plane (Playground's little heatmaps), and one step
 * of backpropagation with the run's loss (dL/dz, dL/dW, dL/db and W − η·dL/dW).
 *
 * Kernels are [inputs, units], row-major, as tfjs stores a Dense kernel: the weight from input i
 * to unit j is `kernel[i * units + j]`. The formulas are those tfjs computes (the tests check
 * every number against tfjs's model.predict and tf.grads): activations from
 * graph-compiler/activations/curves.ts, the losses with tfjs's clipping of probabilities.
 */
import type { CompileResult } from '@/graph-compiler';
import { activationCurve, softmax, type CurveName } from '@/graph-compiler/activations/curves';
import type { LossName } from './loss';

/** Most units a layer (and the input) may have for the neuron view. */
export const NEURON_MAX_UNITS = 10;

/** One activation applied to a layer's output, in graph order (a Dense's own, then Activation nodes). */
export interface NeuronActivation {
  name: CurveName;
  /** leakyRelu's slope for x < 0. */
  alpha: number;
  /** The node it belongs to: the Dense itself, or an Activation node after it. */
  nodeId: string;
}

/** One Dense layer of the chain, with what follows it up to the next Dense. */
export interface NeuronLayer {
  nodeId: string;
  /** The node's display name (label, else id). */
  name: string;
  inputs: number;
  units: number;
  useBias: boolean;
  /** Empty for a linear layer; Dropout is left out (it passes values through at inference). */
  activations: NeuronActivation[];
  /** Kernel penalties (their gradients are part of the training step). */
  l1: number;
  l2: number;
}

/** A graph the neuron view can draw. */
export interface DenseChain {
  inputId: string;
  inputs: number;
  layers: NeuronLayer[];
}

/** The chain, or the one-line reason the view does not apply. */
export type ChainCheck = { chain: DenseChain; reason: null } | { chain: null; reason: string };

/** The weights of one Dense layer. */
export interface LayerWeights {
  nodeId: string;
  /** [inputs, units], row-major. */
  kernel: Float32Array;
  /** Null when the layer has no bias. */
  bias: Float32Array | null;
}

const no = (reason: string): ChainCheck => ({ chain: null, reason });

/**
 * Whether a compiled graph is a small dense chain: one Input of shape [k], then Dense layers
 * (Activation and Dropout nodes allowed between them) up to one output Dense, every layer and
 * the input with at most `maxUnits` units.
 */
export function denseChain(result: CompileResult, maxUnits = NEURON_MAX_UNITS): ChainCheck {
  if (!result.ok) return no('The graph has errors.');
  if (result.inputs.length !== 1 || result.outputs.length !== 1) return no('The neuron view draws a chain with one Input and one output.');
  const input = result.nodes[result.inputs[0]];
  const shape = input.outputShape;
  if (!shape || shape.length !== 1) return no('The neuron view needs an Input of shape [k] (a few numbers, such as a point of the plane).');
  if (shape[0] > maxUnits) return no(`The input has ${shape[0]} values; the neuron view draws at most ${maxUnits}.`);
  const next = new Map<string, string[]>();
  for (const e of result.edges) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
  const layers: NeuronLayer[] = [];
  let width = shape[0];
  let id = input.id;
  // Bounded: every step moves to a new node of a graph without cycles.
  for (let guard = 0; guard <= result.order.length; guard++) {
    const outs = next.get(id) ?? [];
    if (outs.length === 0) break;
    if (outs.length > 1) return no(`"${result.nodes[id].name}" feeds ${outs.length} layers; the neuron view draws a single chain.`);
    const node = result.nodes[outs[0]];
    const p = node.params ?? {};
    if (node.inputIds.length !== 1) return no(`"${node.name}" has several inputs; the neuron view draws a single chain.`);
    if (node.type === 'Dense') {
      const units = p.units as number;
      if (units > maxUnits) return no(`"${node.name}" has ${units} units; the neuron view draws layers of at most ${maxUnits}.`);
      const act = p.activation as CurveName;
      layers.push({
        nodeId: node.id, name: node.name, inputs: width, units, useBias: p.useBias !== false,
        activations: act === 'linear' ? [] : [{ name: act, alpha: (p.alpha as number | undefined) ?? 0.01, nodeId: node.id }],
        l1: (p.l1 as number | undefined) ?? 0, l2: (p.l2 as number | undefined) ?? 0,
      });
      width = units;
    } else if (node.type === 'Activation') {
      const last = layers[layers.length - 1];
      if (!last) return no(`"${node.name}" comes before the first Dense layer.`);
      const act = p.activation as CurveName;
      if (act !== 'linear') last.activations.push({ name: act, alpha: (p.alpha as number | undefined) ?? 0.01, nodeId: node.id });
    } else if (node.type !== 'Dropout') {
      return no(`"${node.name}" is a ${node.type} layer; the neuron view draws Dense layers (with Activation and Dropout).`);
    }
    id = node.id;
  }
  if (layers.length === 0) return no('There is no Dense layer to draw.');
  if (id !== result.outputs[0]) return no('The chain does not end at the output.');
  return { chain: { inputId: input.id, inputs: shape[0], layers }, reason: null };
}

/** One layer of a forward pass: its input, z = W·x + b, and a = f(z). */
export interface LayerForward {
  input: number[];
  z: number[];
  a: number[];
  /** The values after each activation in turn (the last is `a`); empty for a linear layer. */
  steps: number[][];
}

function applyActivation(act: NeuronActivation, v: number[]): number[] {
  if (act.name === 'softmax') return softmax(v);
  const c = activationCurve(act.name, act.alpha);
  return v.map((x) => c.f(x));
}

/** z = W·x + b for one layer (x of length inputs). */
function affine(layer: NeuronLayer, w: LayerWeights, x: ArrayLike<number>): number[] {
  const z = new Array<number>(layer.units);
  for (let j = 0; j < layer.units; j++) {
    let s = w.bias ? w.bias[j] : 0;
    for (let i = 0; i < layer.inputs; i++) s += w.kernel[i * layer.units + j] * x[i];
    z[j] = s;
  }
  return z;
}

/** Checks that the weights fit the chain (the view may briefly hold weights of another graph). */
export function weightsFit(chain: DenseChain, weights: readonly LayerWeights[]): boolean {
  return weights.length === chain.layers.length && chain.layers.every((l, k) => {
    const w = weights[k];
    return w.nodeId === l.nodeId && w.kernel.length === l.inputs * l.units && (l.useBias ? w.bias?.length === l.units : !w.bias);
  });
}

/** The forward pass of one example `x` (inputs values), layer by layer. */
export function forwardPass(chain: DenseChain, weights: readonly LayerWeights[], x: ArrayLike<number>): LayerForward[] {
  const out: LayerForward[] = [];
  let v = Array.from(x, Number);
  chain.layers.forEach((layer, k) => {
    const z = affine(layer, weights[k], v);
    const steps: number[][] = [];
    let a = z;
    for (const act of layer.activations) {
      a = applyActivation(act, a);
      steps.push(a);
    }
    out.push({ input: v, z, a, steps });
    v = a;
  });
  return out;
}

/**
 * Points of a g×g lattice over the plane [lo, hi]² (the data set's own units), row 0 at the
 * top, as model inputs (divided by `pointScale`): the lattice the decision boundary uses.
 */
export function planeLattice(domain: readonly [number, number], pointScale: number, g: number): Float32Array {
  const [lo, hi] = domain;
  const pts = new Float32Array(g * g * 2);
  for (let r = 0; r < g; r++) {
    for (let c = 0; c < g; c++) {
      const i = r * g + c;
      pts[2 * i] = (lo + ((c + 0.5) / g) * (hi - lo)) / pointScale;
      pts[2 * i + 1] = (hi - ((r + 0.5) / g) * (hi - lo)) / pointScale;
    }
  }
  return pts;
}

/**
 * Every neuron's output a over the lattice `pts` (pairs of model inputs): `[0]` holds the
 * inputs themselves (x1, x2), `[k + 1]` layer k's units; each map is one value per point.
 * Only for a chain with two inputs. Work: points × weights, bounded by the 10-unit limit.
 */
export function neuronMaps(chain: DenseChain, weights: readonly LayerWeights[], pts: Float32Array): Float32Array[][] {
  if (chain.inputs !== 2) return [];
  const n = pts.length / 2;
  const maps: Float32Array[][] = [[new Float32Array(n), new Float32Array(n)], ...chain.layers.map((l) => Array.from({ length: l.units }, () => new Float32Array(n)))];
  for (let p = 0; p < n; p++) {
    const x = [pts[2 * p], pts[2 * p + 1]];
    maps[0][0][p] = x[0];
    maps[0][1][p] = x[1];
    const f = forwardPass(chain, weights, x);
    f.forEach((layer, k) => layer.a.forEach((a, j) => {
      maps[k + 1][j][p] = a;
    }));
  }
  return maps;
}

/** The range a layer's outputs are coloured over: [0, 1] for probabilities and steps, else [−1, 1] (as Playground). */
export function outputRange(layer: NeuronLayer): [number, number] {
  const last = layer.activations[layer.activations.length - 1]?.name;
  return last === 'sigmoid' || last === 'softmax' || last === 'hardSigmoid' || last === 'step' ? [0, 1] : [-1, 1];
}

/** tfjs's epsilon (float32): cross-entropy clips probabilities to [ε, 1 − ε]. */
const EPSILON = 1e-7;

/**
 * One example's target vector: one-hot for classes on several units (the sparse loss takes the
 * index, which is the same one-hot inside tfjs), else the label (0/1, or the regression value).
 */
export function targetOf(label: number, units: number, task: 'classification' | 'regression'): number[] {
  if (task === 'classification' && units > 1) return Array.from({ length: units }, (_, c) => (c === label ? 1 : 0));
  return [label];
}

/** The loss of one example and its gradient dL/da with respect to the output a. */
export function exampleLoss(loss: LossName, a: readonly number[], target: readonly number[]): { loss: number; dA: number[] } {
  const n = a.length;
  const clip = (p: number) => Math.min(1 - EPSILON, Math.max(EPSILON, p));
  const inside = (p: number) => p > EPSILON && p < 1 - EPSILON;
  switch (loss) {
    case 'binaryCrossentropy': {
      let l = 0;
      const dA = a.map((p, j) => {
        const y = target[j];
        const q = clip(p);
        l += -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
        return inside(p) ? (p - y) / (p * (1 - p)) / n : 0;
      });
      return { loss: l / n, dA };
    }
    case 'categoricalCrossentropy':
    case 'sparseCategoricalCrossentropy': {
      // tfjs divides by the sum first (a softmax output already sums to 1), then clips.
      const s = a.reduce((x, y) => x + y, 0);
      const q = a.map((p) => p / s);
      let l = 0;
      let carry = 0;
      q.forEach((qi, i) => {
        l -= target[i] * Math.log(clip(qi));
        if (inside(qi)) carry += target[i] / s;
      });
      const dA = a.map((p, j) => (inside(q[j]) ? -target[j] / p : 0) + carry);
      return { loss: l, dA };
    }
    case 'meanSquaredError': {
      let l = 0;
      const dA = a.map((p, j) => {
        l += (p - target[j]) ** 2;
        return (2 * (p - target[j])) / n;
      });
      return { loss: l / n, dA };
    }
    case 'meanAbsoluteError': {
      let l = 0;
      const dA = a.map((p, j) => {
        l += Math.abs(p - target[j]);
        return Math.sign(p - target[j]) / n;
      });
      return { loss: l / n, dA };
    }
  }
}

/** One layer's gradients and its weights after the step. */
export interface LayerGradient {
  /** dL/dz per unit. */
  dZ: number[];
  /** dL/dW, [inputs, units] row-major like the kernel (penalty included). */
  dW: Float64Array;
  /** dL/db per unit; null without a bias. */
  dB: number[] | null;
  /** W − η·dL/dW and b − η·dL/db. */
  updated: LayerWeights;
}

export interface BackpropStep {
  forward: LayerForward[];
  /** The example's loss plus the kernel penalties. */
  loss: number;
  /** The penalties' part of `loss` (0 without l1/l2). */
  penalty: number;
  /** dL/da at the output. */
  dOutput: number[];
  layers: LayerGradient[];
}

/** dL/d(pre) from dL/d(post) through one activation, given its input `pre` and output `post`. */
function backActivation(act: NeuronActivation, pre: number[], post: number[], g: number[]): number[] {
  if (act.name === 'softmax') {
    const dot = g.reduce((s, gi, i) => s + gi * post[i], 0);
    return post.map((s, i) => s * (g[i] - dot));
  }
  const c = activationCurve(act.name, act.alpha);
  return g.map((gi, i) => gi * c.df(pre[i]));
}

/**
 * One step of backpropagation for example `x` with `target`: the forward pass, the loss
 * (with the kernel penalties tfjs adds), dL/dz, dL/dW, dL/db per layer, and the weights after
 * a plain gradient-descent step with learning rate `eta`.
 */
export function backprop(chain: DenseChain, weights: readonly LayerWeights[], x: ArrayLike<number>, target: readonly number[], loss: LossName, eta: number): BackpropStep {
  const forward = forwardPass(chain, weights, x);
  const out = forward[forward.length - 1];
  const { loss: dataLoss, dA } = exampleLoss(loss, out.a, target);
  let penalty = 0;
  const layers: LayerGradient[] = new Array(chain.layers.length);
  let g = dA;
  for (let k = chain.layers.length - 1; k >= 0; k--) {
    const layer = chain.layers[k];
    const w = weights[k];
    const f = forward[k];
    for (let s = layer.activations.length - 1; s >= 0; s--) g = backActivation(layer.activations[s], s === 0 ? f.z : f.steps[s - 1], f.steps[s], g);
    const dZ = g;
    const dW = new Float64Array(layer.inputs * layer.units);
    const kernel = new Float32Array(w.kernel.length);
    for (let i = 0; i < layer.inputs; i++) {
      for (let j = 0; j < layer.units; j++) {
        const at = i * layer.units + j;
        const wv = w.kernel[at];
        penalty += layer.l1 * Math.abs(wv) + layer.l2 * wv * wv;
        dW[at] = f.input[i] * dZ[j] + layer.l1 * Math.sign(wv) + 2 * layer.l2 * wv;
        kernel[at] = wv - eta * dW[at];
      }
    }
    const dB = w.bias ? [...dZ] : null;
    const bias = w.bias && Float32Array.from(w.bias, (b, j) => b - eta * dZ[j]);
    layers[k] = { dZ, dW, dB, updated: { nodeId: w.nodeId, kernel, bias } };
    // dL/d(input) = W · dL/dz, for the layer before.
    g = f.input.map((_, i) => {
      let s = 0;
      for (let j = 0; j < layer.units; j++) s += w.kernel[i * layer.units + j] * dZ[j];
      return s;
    });
  }
  return { forward, loss: dataLoss + penalty, penalty, dOutput: dA, layers };
}
