/**
 * The training step without `model.trainOnBatch`: `optimizer.minimize` over the model's
 * trainable variables, with the loss and accuracy that `model.compile` chose, the layers'
 * L1/L2 penalties (`calculateLosses`) and training-mode layers (dropout, batch norm), exactly
 * as tfjs-layers' own train function computes them. The step returns its loss and accuracy as
 * tensors and never reads them back: the run reads a whole group of batches at once, so that a
 * small model is not held up by one GPU read-back (or one promise) per batch.
 *
 * The data stays on the backend too: the training examples are uploaded once
 * (`BatchSource`), shuffled each epoch with one gather, and cut into batches with slices.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { TF } from '@/graph-compiler';
import { exampleSize, type Dataset, type Split } from '@/lib/datasets/types';
import type { RunPlan } from './check';
import { targetWidth } from './loss';
import { EVAL_CHUNK } from './memory';

/** The loss (with penalties) and, for classification, the accuracy of one batch, unread. */
export type StepOutput = [tfjs.Scalar] | [tfjs.Scalar, tfjs.Scalar];

type LossFn = (yTrue: tfjs.Tensor, yPred: tfjs.Tensor) => tfjs.Tensor;

/** The functional model inside a `tf.sequential` (which compiles it), or the model itself. */
function inner(model: tfjs.LayersModel): tfjs.LayersModel {
  return (model as unknown as { model?: tfjs.LayersModel }).model ?? model;
}

/** What `model.compile` chose: the loss of the (single) output and its accuracy metric. */
function compiledFns(outer: tfjs.LayersModel): { loss: LossFn; acc: LossFn | null } {
  const model = inner(outer);
  const loss = model.lossFunctions[0] as LossFn | undefined;
  if (!loss) throw new Error('The model is not compiled: it has no loss function.');
  const acc = (model.metricsTensors[0]?.[0] as LossFn | undefined) ?? null;
  return { loss, acc };
}

/** A forward pass of a model on a batch. */
export type Forward = (x: tfjs.Tensor) => tfjs.Tensor;

/** Layers a dense chain may hold besides Dense: they have no weights, and run as tfjs-layers runs them. */
const WEIGHTLESS_CHAIN_LAYERS = new Set(['Activation', 'Dropout', 'Flatten']);

/** The fields of a tfjs-layers Dense layer that its public type hides. */
interface DenseInternals {
  kernel: tfjs.LayerVariable;
  bias: tfjs.LayerVariable | null;
  activation: { apply(x: tfjs.Tensor): tfjs.Tensor };
  activityRegularizer: unknown;
}

/**
 * The forward pass (training mode unless `training` is false) of a model that is one chain of Dense layers (with Activation,
 * Dropout and Flatten between them) on rank-2 inputs, as plain tfjs ops on the layers' own
 * kernel and bias variables; null for any other model.
 *
 * Why: through `model.apply`, a step of a 2-8-8-1 network is 178 kernels, 79 of them Identity
 * and Reshape bookkeeping of the functional model and of the fused matMul's 3-D reshapes, and
 * for a batch of 10 that bookkeeping is most of the step. Here a Dense layer is matMul, add and
 * its activation (the same activation object), the same arithmetic as tfjs-layers' Dense, and
 * the variables are the model's, so the optimizer updates the model the rest of the app reads.
 * Weightless layers run through their own `apply` in training mode (Dropout's masks included).
 */
export function denseChainForward(tf: TF, outer: tfjs.LayersModel, training = true): Forward | null {
  const model = inner(outer);
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return null;
  const [first, ...rest] = model.layers;
  if (!first || first.getClassName() !== 'InputLayer' || rest.length === 0) return null;
  const steps: Forward[] = [];
  let prev = first;
  for (const layer of rest) {
    const nodes = layer.inboundNodes;
    if (nodes.length !== 1 || nodes[0].inboundLayers.length !== 1 || nodes[0].inboundLayers[0] !== prev) return null;
    const kind = layer.getClassName();
    if (kind === 'Dense') {
      const d = layer as unknown as DenseInternals;
      const rank = (layer.input as tfjs.SymbolicTensor).shape.length;
      // A Dense layer on rank-3+ inputs reshapes around its matMul, and an activity
      // regularizer adds a loss of the outputs: both are left to tfjs-layers.
      if (rank !== 2 || d.activityRegularizer != null || !d.kernel) return null;
      const { kernel, bias, activation } = d;
      steps.push((x) => {
        const z = tf.matMul(x, kernel.read());
        return activation.apply(bias ? tf.add(z, bias.read()) : z);
      });
    } else if (WEIGHTLESS_CHAIN_LAYERS.has(kind) && layer.weights.length === 0) {
      steps.push((x) => layer.apply(x, { training }) as tfjs.Tensor);
    } else {
      return null;
    }
    prev = layer;
  }
  if (model.outputs[0] !== prev.output) return null;
  return (x) => steps.reduce((h, f) => f(h), x);
}

/**
 * One optimisation step on a batch: gradients of mean(loss) + penalties with respect to the
 * trainable weights, applied by the compiled optimizer. The returned scalars belong to the
 * caller. A dense chain runs its forward pass as plain ops (`denseChainForward`), any other
 * model through `model.apply`; `fast: false` forces the latter (the tests' reference).
 */
export function makeTrainStep(tf: TF, outer: tfjs.LayersModel, optimizer: tfjs.Optimizer, options: { fast?: boolean } = {}): (x: tfjs.Tensor, y: tfjs.Tensor) => StepOutput {
  const fns = compiledFns(outer);
  const model = inner(outer);
  const vars = model.trainableWeights.map((w) => w.read() as tfjs.Variable);
  const forward: Forward = (options.fast !== false && denseChainForward(tf, outer)) || ((x) => model.apply(x, { training: true }) as tfjs.Tensor);
  return (x, y) =>
    tf.tidy(() => {
      let out: tfjs.Tensor | null = null;
      const cost = optimizer.minimize(
        () => {
          const o = forward(x);
          // The accuracy is measured after the step, off the gradient tape, which would
          // otherwise record (and copy the inputs of) its kernels for nothing.
          if (fns.acc) out = tf.keep(o);
          let total = tf.mean(fns.loss(y, o)) as tfjs.Scalar;
          for (const penalty of model.calculateLosses()) total = tf.add(total, penalty);
          return total;
        },
        true,
        vars,
      ) as tfjs.Scalar;
      if (!fns.acc || !out) return [cost];
      const kept: tfjs.Tensor = out;
      const acc = tf.mean(fns.acc(y, kept)) as tfjs.Scalar;
      kept.dispose();
      return [cost, acc];
    });
}

/**
 * Mean loss and accuracy of the model over resident examples, in inference mode and without
 * penalties (as `model.evaluate`), as two scalars still on the backend.
 */
export function evaluateResident(tf: TF, model: tfjs.LayersModel, x: tfjs.Tensor, y: tfjs.Tensor): StepOutput {
  const fns = compiledFns(model);
  const n = x.shape[0];
  return tf.tidy(() => {
    let loss: tfjs.Tensor = tf.scalar(0);
    let acc: tfjs.Tensor = tf.scalar(0);
    for (let from = 0; from < n; from += EVAL_CHUNK) {
      const size = Math.min(EVAL_CHUNK, n - from);
      const xs = x.slice(from, size);
      const ys = y.slice(from, size);
      const out = model.predict(xs) as tfjs.Tensor;
      loss = tf.add(loss, tf.mul(tf.mean(fns.loss(ys, out)), size));
      if (fns.acc) acc = tf.add(acc, tf.mul(tf.mean(fns.acc(ys, out)), size));
    }
    const l = tf.div(loss, n) as tfjs.Scalar;
    return fns.acc ? [l, tf.div(acc, n) as tfjs.Scalar] : [l];
  });
}

/** Training sets up to this size live on the backend for the whole run; larger ones go batch by batch. */
export const RESIDENT_BYTES = 64 * 1024 ** 2;

type BatchPlan = Pick<RunPlan, 'encoding' | 'inputShape' | 'output'>;
type Assemble = (split: Split, ids: ArrayLike<number>, from: number, to: number) => [tfjs.Tensor, tfjs.Tensor];

/**
 * The batches of one run. Small sets are uploaded once (inputs and targets as two tensors) and
 * each epoch gathers them in its shuffled order; large ones (an uploaded image folder) are
 * assembled batch by batch from the arrays, as before.
 */
export class BatchSource {
  readonly resident: boolean;
  private all: [tfjs.Tensor, tfjs.Tensor] | null = null;
  private epochData: [tfjs.Tensor, tfjs.Tensor] | null = null;
  private order: Int32Array | null = null;

  constructor(
    private readonly tf: TF,
    dataset: Dataset,
    plan: BatchPlan,
    private readonly split: Split,
    /** The examples of the split this source serves, in their natural order. */
    private readonly ids: Int32Array,
    private readonly assemble: Assemble,
  ) {
    const bytes = ids.length * (exampleSize(dataset.featureShape) + targetWidth(plan.encoding, plan.output.units)) * 4;
    this.resident = bytes <= RESIDENT_BYTES;
    if (this.resident) this.all = assemble(split, ids, 0, ids.length);
  }

  /** All examples at once (resident sources only; owned by the source). */
  tensors(): [tfjs.Tensor, tfjs.Tensor] | null {
    return this.all;
  }

  /** Starts an epoch in `order` (positions into `ids`). */
  epoch(order: Int32Array): void {
    this.order = order;
    this.releaseEpoch();
    if (!this.all) return;
    const [x, y] = this.all;
    const tf = this.tf;
    this.epochData = tf.tidy(() => {
      const idx = tf.tensor1d(order, 'int32');
      return [tf.gather(x, idx), tf.gather(y, idx)] as [tfjs.Tensor, tfjs.Tensor];
    });
  }

  /** The batch of positions [from, to) of the current epoch; the caller disposes it. */
  batch(from: number, to: number): [tfjs.Tensor, tfjs.Tensor] {
    if (this.epochData) {
      const [x, y] = this.epochData;
      return [x.slice(from, to - from), y.slice(from, to - from)];
    }
    const order = this.order!;
    const ids = Array.from(order.subarray(from, to), (p) => this.ids[p]);
    return this.assemble(this.split, ids, 0, ids.length);
  }

  /** Frees the epoch's shuffled copy (the uploaded set stays). */
  releaseEpoch(): void {
    if (this.epochData) this.tf.dispose(this.epochData);
    this.epochData = null;
  }

  dispose(): void {
    this.releaseEpoch();
    if (this.all) this.tf.dispose(this.all);
    this.all = null;
  }
}
