/**
 * The neuron view's weights on the tfjs side: reads the kernel and bias of every Dense layer of
 * a small dense chain from a built model (a few hundred floats), and writes them back (all, or
 * one edited weight). tfjs is
 * passed in (the engine's), so this runs in the worker, on the page and in jest alike.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { CompileResult, TF } from '@/graph-compiler';
import { toNamedTopology } from '@/graph-compiler/emit/tfjs';
import type { DenseChain, LayerWeights } from './neurons';

/** One weight to set: kernel[from][to] of a Dense node, or its bias of unit `to`. */
export type WeightEdit = { nodeId: string; to: number; value: number } & ({ from: number; bias?: undefined } | { bias: true; from?: undefined });

/** The tfjs layer of each chain layer (the layer that holds the Dense node's weights). */
function chainLayers(model: tfjs.LayersModel, result: CompileResult, chain: DenseChain): tfjs.layers.Layer[] {
  const { layerOf } = toNamedTopology(result);
  return chain.layers.map((l) => model.getLayer(layerOf[l.nodeId]));
}

/** The weights of every Dense layer of the chain, read without blocking (one read-back per tensor). */
export async function readChainWeights(model: tfjs.LayersModel, result: CompileResult, chain: DenseChain): Promise<LayerWeights[]> {
  const layers = chainLayers(model, result, chain);
  return Promise.all(layers.map(async (layer, k) => {
    const [kernel, bias] = layer.getWeights();
    return {
      nodeId: chain.layers[k].nodeId,
      kernel: Float32Array.from((await kernel.data()) as Float32Array),
      bias: bias ? Float32Array.from((await bias.data()) as Float32Array) : null,
    };
  }));
}

/** Applies an edit to plain weights (a copy; throws on a weight the layer does not have). */
export function editWeights(weights: readonly LayerWeights[], chain: DenseChain, edit: WeightEdit): LayerWeights[] {
  const k = chain.layers.findIndex((l) => l.nodeId === edit.nodeId);
  const layer = chain.layers[k];
  if (!layer || !Number.isFinite(edit.value) || !Number.isInteger(edit.to) || edit.to < 0 || edit.to >= layer.units) throw new Error('There is no such weight.');
  const w = weights[k];
  const next = { nodeId: w.nodeId, kernel: Float32Array.from(w.kernel), bias: w.bias && Float32Array.from(w.bias) };
  if (edit.bias) {
    if (!next.bias) throw new Error(`"${layer.name}" has no bias.`);
    next.bias[edit.to] = edit.value;
  } else {
    if (!Number.isInteger(edit.from) || edit.from < 0 || edit.from >= layer.inputs) throw new Error('There is no such weight.');
    next.kernel[edit.from * layer.units + edit.to] = edit.value;
  }
  return weights.map((x, i) => (i === k ? next : x));
}

/** Writes plain weights into every Dense layer of the chain (the optimizer's state is left as it is). */
export function writeChainWeights(tf: TF, model: tfjs.LayersModel, result: CompileResult, chain: DenseChain, weights: readonly LayerWeights[]): void {
  const layers = chainLayers(model, result, chain);
  chain.layers.forEach((l, k) => {
    const w = weights[k];
    const ts = [tf.tensor2d(w.kernel, [l.inputs, l.units]), ...(w.bias ? [tf.tensor1d(w.bias)] : [])];
    try {
      layers[k].setWeights(ts);
    } finally {
      tf.dispose(ts);
    }
  });
}

/** Sets one weight of the model in place (the optimizer's state is left as it is). */
export async function setChainWeight(tf: TF, model: tfjs.LayersModel, result: CompileResult, chain: DenseChain, edit: WeightEdit): Promise<LayerWeights[]> {
  const current = await readChainWeights(model, result, chain);
  const next = editWeights(current, chain, edit);
  writeChainWeights(tf, model, result, chain, next);
  return next;
}
