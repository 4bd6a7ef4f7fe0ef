/**
 * The weights of a built tfjs model, per graph node, in tfjs (Keras) layouts: the one source the
 * PyTorch and ONNX exports read, whether the model is freshly initialised or trained.
 * Kernels are [kh, kw, in, out] for convolutions and [in, out] for Dense, as tfjs holds them;
 * each exporter transposes to its own layout.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { CompileResult } from '../types';
import { toNamedTopology } from './tfjs';

export interface NamedWeight {
  /** The weight's own name in tfjs without the layer prefix: `kernel`, `bias`, `gamma`, `moving_mean`, ... */
  name: string;
  shape: number[];
  values: Float32Array;
  trainable: boolean;
}

/** Node id → its weights in tfjs order; nodes without weights are absent. */
export type NodeWeights = Record<string, NamedWeight[]>;

/** The short name of a tfjs weight variable (`conv1/kernel` → `kernel`, `lstm/lstm_cell/bias` → `bias`). */
function shortName(full: string): string {
  const last = full.split('/').at(-1) ?? full;
  return last.replace(/_\d+$/, '');
}

/**
 * Reads every node's weights from `model`, built by `toTfjsModel(tf, result)` (or loaded from
 * the model.json exported for the same graph). Reads values synchronously (`dataSync`).
 */
export function nodeWeights(model: tfjs.LayersModel, result: CompileResult): NodeWeights {
  const { layerOf } = toNamedTopology(result);
  const out: NodeWeights = {};
  for (const id of result.order) {
    const layer = model.getLayer(layerOf[id]);
    const vars = layer.weights;
    if (vars.length === 0) continue;
    out[id] = vars.map((v) => ({
      name: shortName(v.originalName ?? v.name),
      shape: v.shape.map((d) => d as number),
      values: Float32Array.from(v.read().dataSync() as Float32Array),
      trainable: v.trainable,
    }));
  }
  return out;
}
