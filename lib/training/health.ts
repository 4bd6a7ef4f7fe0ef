/**
 * Training health: real statistics of the model being trained, measured on one batch (at most
 * HEALTH_BATCH examples), and the course's warnings about them in plain words.
 *
 * Per graph node: the share of a ReLU layer's units that never fire on the batch (dead units),
 * the share of a sigmoid or tanh layer's outputs that are saturated, and the norm of the loss's
 * gradient with respect to the layer's kernel. The statistics come from one multi-output
 * tf.model over the trained model's own layers (no rebuild, no copied weights) and one
 * read-back. The warnings (`healthWarnings`) are plain functions of the statistics, without
 * tfjs, so that the page and the tests can call them.
 *
 * tfjs is passed in, so this runs in the worker, on the page and in jest alike.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { CompileResult, TF } from '@/graph-compiler';
import { toNamedTopology } from '@/graph-compiler/emit/tfjs';
import { layerByType } from '@/graph-compiler/layers';
import { needsActivationLayer } from '@/graph-compiler/layers/activation';

/** Most examples a measurement uses. */
export const HEALTH_BATCH = 64;

/** Activations whose units die: a unit that outputs 0 for every example has no gradient. */
const RELU_FAMILY = new Set(['relu', 'relu6']);
/** Activations that saturate: their derivative vanishes near their bounds. */
const SATURATING = new Set(['sigmoid', 'tanh']);

/** Thresholds of the warnings. */
export const HEALTH_LIMITS = {
  /** Share of a ReLU layer's units that are dead. */
  dead: 0.5,
  /** Share of a sigmoid/tanh layer's outputs that are saturated. */
  saturated: 0.5,
  /** Ratio of the gradient norms between the output layer and the first layer with weights. */
  ratio: 100,
  /** Growth of a layer's gradient norm since the run's first measurement. */
  growth: 100,
} as const;

/** What was measured on one node. */
export interface LayerHealth {
  nodeId: string;
  /** The node's display name (label, else id): text, never markup. */
  name: string;
  /** Its activation (relu, tanh, ...), or null for a node without one. */
  activation: string | null;
  /**
   * True for a model output: its saturation is confidence, not a problem (with cross-entropy
   * the gradient at a sigmoid output is p − y, which does not vanish), so it is not warned about.
   */
  isOutput?: boolean;
  /** ReLU family: units (channels for a convolution) that output 0 for the whole batch, and how many units there are. */
  dead?: { units: number; dead: number };
  /** Sigmoid and tanh: outputs saturated (|tanh| > 0.99, sigmoid outside [0.01, 0.99]), out of all outputs of the batch. */
  saturated?: { outputs: number; saturated: number };
  /** Norm of the loss's gradient with respect to the node's kernel (nodes with trainable weights). */
  gradNorm?: number;
}

/** One measurement. */
export interface HealthStats {
  /** The epoch it was measured after (1-based). */
  epoch: number;
  /** Examples of the batch. */
  examples: number;
  /** The measured nodes, in graph order. */
  layers: LayerHealth[];
}

/** A warning about one node. */
export interface HealthWarning {
  nodeId: string;
  kind: 'dead' | 'saturated' | 'vanishing' | 'exploding';
  /** The sentence: names the node, gives the number and the cure. */
  text: string;
}

/** The health shown: the latest statistics and the warnings that hold for them. */
export interface HealthReport {
  stats: HealthStats;
  warnings: HealthWarning[];
}

type LossFn = (yTrue: tfjs.Tensor, yPred: tfjs.Tensor) => tfjs.Tensor;

/** The functional model inside a `tf.sequential`, or the model itself. */
function inner(model: tfjs.LayersModel): tfjs.LayersModel {
  return (model as unknown as { model?: tfjs.LayersModel }).model ?? model;
}

/** The loss function `model.compile` chose (of the single output). */
export function compiledLoss(model: tfjs.LayersModel): LossFn {
  const loss = inner(model).lossFunctions[0] as LossFn | undefined;
  if (!loss) throw new Error('The model is not compiled: it has no loss function.');
  return loss;
}

interface Probe {
  nodeId: string;
  name: string;
  activation: string | null;
  isOutput: boolean;
  /** Index of the node's output among the probe model's outputs, when its activation is watched. */
  output: number | null;
  kernel: tfjs.LayerVariable | null;
}

/**
 * Measures a model built from a compiled graph (`toTfjsModel`). Build it once per model: it
 * holds a multi-output tf.model over the model's layers (no tensors of its own).
 */
export class HealthProbe {
  private readonly probes: Probe[];
  private readonly watch: tfjs.LayersModel;
  private readonly loss: LossFn;
  /** Index of the model's output among the probe model's outputs. */
  private readonly finalOutput: number;

  constructor(private readonly tf: TF, model: tfjs.LayersModel, result: CompileResult, loss: LossFn = compiledLoss(model)) {
    const m = inner(model);
    const { layerOf } = toNamedTopology(result);
    const outputs: tfjs.SymbolicTensor[] = [];
    this.probes = [];
    for (const id of result.order) {
      const node = result.nodes[id];
      if (node.inputIds.length === 0) continue;
      const spec = layerByType(node.type);
      const layer = m.getLayer(layerOf[id]);
      const act = spec?.activationOf?.(node.params ?? {}) ?? null;
      // A split-off activation (not a tfjs one) runs in the layer after this one.
      const outLayer = needsActivationLayer(act ?? undefined) && spec?.fusedActivation ? layer.outboundNodes[0]?.outboundLayer ?? layer : layer;
      const watched = act !== null && (RELU_FAMILY.has(act) || SATURATING.has(act));
      const kernel = layer.trainableWeights.find((w) => /kernel/.test(w.originalName)) ?? layer.trainableWeights[0] ?? null;
      if (!watched && !kernel) continue;
      const output = watched ? outputs.push(outLayer.output as tfjs.SymbolicTensor) - 1 : null;
      this.probes.push({ nodeId: id, name: node.name, activation: act, output, kernel, isOutput: result.outputs.includes(id) });
    }
    // tfjs refuses a model that lists one tensor twice: the output layer may be watched already.
    const final = outputs.indexOf(m.outputs[0]);
    this.finalOutput = final >= 0 ? final : outputs.push(m.outputs[0]) - 1;
    this.watch = this.tf.model({ inputs: m.inputs, outputs });
    this.loss = loss;
  }

  /**
   * The statistics on one batch (the first HEALTH_BATCH examples of `x` and `y`), in inference
   * mode (dropout off, batch norm's statistics untouched), with a single read-back. Every
   * tensor it makes is disposed. Throws for a model without trainable kernels.
   */
  async measure(x: tfjs.Tensor, y: tfjs.Tensor, epoch: number): Promise<HealthStats> {
    const tf = this.tf;
    const n = Math.min(HEALTH_BATCH, x.shape[0]);
    const vars = this.probes.flatMap((p) => (p.kernel ? [p.kernel.read() as tfjs.Variable] : []));
    const flat = tf.tidy(() => {
      const xs = x.shape[0] > n ? x.slice(0, n) : x;
      const ys = y.shape[0] > n ? y.slice(0, n) : y;
      const figures: tfjs.Tensor[] = [];
      const f = () => {
        const outs = this.watch.apply(xs, { training: false }) as tfjs.Tensor[];
        for (const p of this.probes) {
          if (p.output === null) continue;
          const out = outs[p.output];
          if (RELU_FAMILY.has(p.activation!)) {
            // A unit (the last axis: a Dense unit, a convolution's channel) is dead when it
            // outputs 0 for every example and position.
            const units = out.shape[out.shape.length - 1]!;
            const peak = tf.max(out.reshape([-1, units]), 0);
            figures.push(tf.keep(tf.sum(tf.cast(tf.lessEqual(peak, 0), 'float32'))));
          } else {
            const sat = p.activation === 'tanh'
              ? tf.greater(tf.abs(out), 0.99)
              : tf.logicalOr(tf.less(out, 0.01), tf.greater(out, 0.99));
            figures.push(tf.keep(tf.sum(tf.cast(sat, 'float32'))));
          }
        }
        return tf.mean(this.loss(ys, outs[this.finalOutput])) as tfjs.Scalar;
      };
      const { grads } = tf.variableGrads(f, vars);
      const norms = vars.map((v) => tf.sqrt(tf.sum(tf.square(grads[v.name]))));
      const all = tf.stack([...figures, ...norms]);
      // Kept to leave the gradient's scope, the figures would outlive this tidy too.
      tf.dispose(figures);
      return all;
    });
    let values: Float32Array;
    try {
      values = (await flat.data()) as Float32Array;
    } finally {
      flat.dispose();
    }
    const watchedOut = this.watch.outputs;
    let k = 0;
    const layers: LayerHealth[] = this.probes.map((p) => {
      const h: LayerHealth = { nodeId: p.nodeId, name: p.name, activation: p.activation, ...(p.isOutput ? { isOutput: true } : {}) };
      if (p.output !== null) {
        const shape = watchedOut[p.output].shape;
        const v = values[k++];
        if (RELU_FAMILY.has(p.activation!)) h.dead = { units: shape[shape.length - 1]!, dead: v };
        else h.saturated = { outputs: n * shape.slice(1).reduce((a: number, b) => a * (b ?? 1), 1), saturated: v };
      }
      return h;
    });
    for (let i = 0, g = 0; i < this.probes.length; i++) {
      if (this.probes[i].kernel) layers[i].gradNorm = values[k + g++];
    }
    return { epoch, examples: n, layers };
  }
}

/** A share as the panel writes it: whole per cent. */
export function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}

/** A ratio as the warnings write it: 1000×, 250×, 3.2×. */
export function times(r: number): string {
  return `${r >= 10 ? Math.round(r).toLocaleString('en-US') : r.toPrecision(2)}×`;
}

/** The layers with weights whose gradient norm was measured, first to last. */
function weighted(stats: HealthStats): LayerHealth[] {
  return stats.layers.filter((l) => l.gradNorm !== undefined);
}

/**
 * The ratio of the gradient norm at the output layer to the norm at the first layer with
 * weights (large: vanishing gradients; small: exploding), or null with fewer than two such
 * layers or when no gradient reaches the output layer either.
 */
export function gradientRatio(stats: HealthStats): { first: LayerHealth; last: LayerHealth; ratio: number } | null {
  const w = weighted(stats);
  if (w.length < 2) return null;
  const first = w[0];
  const last = w[w.length - 1];
  if (!Number.isFinite(first.gradNorm!) || !Number.isFinite(last.gradNorm!) || last.gradNorm! === 0) return null;
  return { first, last, ratio: first.gradNorm! === 0 ? Infinity : last.gradNorm! / first.gradNorm! };
}

/**
 * The warnings that hold for `stats`, in graph order; `baseline` is the run's first
 * measurement (for the growth of gradients). A layer that recovers has no warning: each call
 * judges the measurement it is given.
 */
export function healthWarnings(stats: HealthStats, baseline?: HealthStats | null): HealthWarning[] {
  const out: HealthWarning[] = [];
  const saturatedShare = (l: LayerHealth) => (l.saturated && !l.isOutput && l.saturated.outputs > 0 ? l.saturated.saturated / l.saturated.outputs : 0);
  const sigmoidSaturated = stats.layers.some((l) => l.activation === 'sigmoid' && saturatedShare(l) >= HEALTH_LIMITS.saturated);
  for (const l of stats.layers) {
    if (l.dead && l.dead.units > 0) {
      const share = l.dead.dead / l.dead.units;
      if (share >= HEALTH_LIMITS.dead) {
        out.push({
          nodeId: l.nodeId, kind: 'dead',
          text: `${percent(share)} of ${l.name}'s ReLU units are dead (${l.dead.dead} of ${l.dead.units} never fire on a batch of ${stats.examples}): lower the learning rate, or use leaky ReLU; He initialisation helps them start alive.`,
        });
      }
    }
    const saturated = saturatedShare(l);
    if (saturated >= HEALTH_LIMITS.saturated) {
      const bound = l.activation === 'tanh' ? 'beyond ±0.99' : 'below 0.01 or above 0.99';
      out.push({
        nodeId: l.nodeId, kind: 'saturated',
        text: `${percent(saturated)} of ${l.name}'s ${l.activation} outputs are saturated (${bound}): their gradient is almost 0. Use ReLU${l.activation === 'sigmoid' ? ' or tanh' : ''} instead, batch norm before it, or smaller initial weights (Glorot).`,
      });
    }
    if (l.gradNorm !== undefined && !Number.isFinite(l.gradNorm)) {
      out.push({
        nodeId: l.nodeId, kind: 'exploding',
        text: `The gradient at ${l.name} is ${Number.isNaN(l.gradNorm) ? 'NaN' : 'infinite'}: exploding gradients. Lower the learning rate, or add batch norm.`,
      });
    }
  }
  const r = gradientRatio(stats);
  if (r && r.ratio >= HEALTH_LIMITS.ratio) {
    const how = r.ratio === Infinity ? `No gradient reaches ${r.first.name}` : `Gradients reaching ${r.first.name} are ${times(r.ratio)} smaller than at the output (${r.last.name})`;
    out.push({
      nodeId: r.first.nodeId, kind: 'vanishing',
      text: `${how}: vanishing gradients${sigmoidSaturated ? ' (sigmoid saturates)' : ''}. Use ReLU or tanh instead of sigmoid, He initialisation, or batch norm.`,
    });
  } else if (r && r.ratio > 0 && 1 / r.ratio >= HEALTH_LIMITS.ratio) {
    out.push({
      nodeId: r.first.nodeId, kind: 'exploding',
      text: `Gradients reaching ${r.first.name} are ${times(1 / r.ratio)} larger than at the output (${r.last.name}): exploding gradients. Lower the learning rate, or add batch norm.`,
    });
  }
  if (baseline && baseline.epoch < stats.epoch) {
    const before = new Map(weighted(baseline).map((l) => [l.nodeId, l.gradNorm!]));
    for (const l of weighted(stats)) {
      const b = before.get(l.nodeId);
      if (!b || !Number.isFinite(b) || !Number.isFinite(l.gradNorm!) || l.gradNorm! / b <= HEALTH_LIMITS.growth) continue;
      if (out.some((w) => w.nodeId === l.nodeId && w.kind === 'exploding')) continue;
      out.push({
        nodeId: l.nodeId, kind: 'exploding',
        text: `The gradient at ${l.name} has grown ${times(l.gradNorm! / b)} since epoch ${baseline.epoch}: exploding gradients. Lower the learning rate.`,
      });
    }
  }
  const order = new Map(stats.layers.map((l, i) => [l.nodeId, i]));
  return out.sort((a, b) => order.get(a.nodeId)! - order.get(b.nodeId)!);
}
