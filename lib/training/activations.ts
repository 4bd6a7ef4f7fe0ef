/**
 * A node's output for one example: the feature maps of a convolution or a pooling layer, the
 * values of a dense layer. Read from a model that tfjs built from the graph (a run's, or the
 * untrained one the seed draws) through a one-output `tf.model` over the same layers, so that
 * what is shown is what the layers compute, weights and all.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { CompileResult, TF } from '@/graph-compiler';
import { toNamedTopology } from '@/graph-compiler/emit/tfjs';

/** A node's output for one example, without the batch axis. */
export interface NodeActivations {
  /** e.g. `[24, 24, 8]` for a convolution's 8 feature maps, `[10]` for a dense layer. */
  shape: number[];
  /** Row-major (height, width, channel last), as tfjs holds them. */
  values: Float32Array;
  /** True when the weights are a run's (or a loaded model's), false for the untrained ones. */
  trained: boolean;
}

/**
 * The tfjs layer whose output is the node's output: its own layer, or the activation layer the
 * emitter adds after it when tfjs has no fused form of the activation.
 */
export function outputLayerName(result: CompileResult, nodeId: string): string {
  const { topology, layerOf } = toNamedTopology(result);
  const own = layerOf[nodeId];
  if (!own) throw new Error(`There is no layer "${nodeId}" in the model.`);
  const after = topology.config.layers.find((l) => {
    const inbound = (l as { inbound_nodes?: unknown[][][] }).inbound_nodes?.[0];
    return typeof l.name === 'string' && l.name.startsWith(`${own}_`) && !l.name.startsWith(`${own}_in`) && inbound?.length === 1 && inbound[0][0] === own;
  });
  return (after?.name as string | undefined) ?? own;
}

/**
 * Runs one example `x` (model units, the Input's shape) through `model` up to `nodeId`'s output.
 * Every tensor it makes is disposed; the sub-model shares the model's layers and holds none of
 * its own, so it is left to the garbage collector (disposing it would dispose the layers).
 */
export async function nodeActivations(tf: TF, model: tfjs.LayersModel, result: CompileResult, nodeId: string, x: Float32Array): Promise<Omit<NodeActivations, 'trained'>> {
  if (model.inputs.length !== 1) throw new Error('Feature maps need a model with one input.');
  const inputShape = model.inputs[0].shape.slice(1) as number[];
  const size = inputShape.reduce((a, b) => a * b, 1);
  if (x.length !== size) throw new Error(`The example has ${x.length} values, but the model's input is [${inputShape.join(', ')}].`);
  const layer = model.getLayer(outputLayerName(result, nodeId));
  const sub = tf.model({ inputs: model.inputs, outputs: layer.output as tfjs.SymbolicTensor });
  const y = tf.tidy(() => sub.predict(tf.tensor(x, [1, ...inputShape])) as tfjs.Tensor);
  try {
    return { shape: y.shape.slice(1), values: (await y.data()) as Float32Array };
  } finally {
    y.dispose();
  }
}
