/**
 * The Share menu's ONNX export: the trained weights when the last run trained this graph (read
 * back from the tfjs files the training worker saves), else the initial weights of a model built
 * with the document's seed, as the run would start from. tfjs is loaded only when it is needed.
 */
import { checkTraining, type CompileResult, type GraphDocument } from '@/graph-compiler';
import { toOnnx } from '@/graph-compiler/emit/onnx';
import { toNamedTopology } from '@/graph-compiler/emit/tfjs';
import type { NamedWeight, NodeWeights } from '@/graph-compiler/emit/weights';

/** A saved tfjs model: model.json text and its weights. */
export interface ModelFiles {
  json: string;
  weights: ArrayBuffer;
}

/** The export's refusals (nodes ONNX gets no form of), before any weight is built; empty when it can be written. */
export function onnxRefusals(result: CompileResult): string[] {
  const out = toOnnx(result, {});
  return out.ok ? [] : out.messages.filter((m) => !/the weight ".*" is missing/.test(m));
}

/** Each node's weights from a saved tfjs model of the graph (the manifest names them `layer/weight`). */
export function weightsFromModelFiles(files: ModelFiles, result: CompileResult): NodeWeights {
  const manifest = (JSON.parse(files.json) as { weightsManifest?: { weights: { name: string; shape: number[]; dtype?: string }[] }[] }).weightsManifest ?? [];
  const { layerOf } = toNamedTopology(result);
  const layers = new Set(Object.values(layerOf));
  // Layer names may hold `/` themselves: the longest prefix that is a layer's name is the layer.
  const layerOfWeight = (name: string) => {
    for (let at = name.lastIndexOf('/'); at > 0; at = name.lastIndexOf('/', at - 1)) if (layers.has(name.slice(0, at))) return name.slice(0, at);
    return undefined;
  };
  const byLayer = new Map<string, NamedWeight[]>();
  let offset = 0;
  for (const group of manifest) {
    for (const spec of group.weights) {
      const n = spec.shape.reduce((a, b) => a * b, 1);
      if ((spec.dtype ?? 'float32') !== 'float32') throw new Error(`the weight ${spec.name} is ${spec.dtype}, not float32`);
      const values = new Float32Array(files.weights.slice(offset, offset + 4 * n));
      offset += 4 * n;
      const name = (spec.name.split('/').at(-1) ?? spec.name).replace(/_\d+$/, '');
      const layer = layerOfWeight(spec.name);
      if (layer === undefined) continue;
      byLayer.set(layer, [...(byLayer.get(layer) ?? []), { name, shape: spec.shape, values, trainable: !name.startsWith('moving_') }]);
    }
  }
  const out: NodeWeights = {};
  for (const id of result.order) {
    const weights = byLayer.get(layerOf[id]);
    if (weights) out[id] = weights;
  }
  return out;
}

/**
 * The weights an export writes: the trained ones when `trained` holds them, else the seeded
 * initial ones the browser would start from (tfjs loaded on demand).
 */
export async function exportWeights(doc: GraphDocument, result: CompileResult, trained: ModelFiles | null): Promise<NodeWeights> {
  if (trained) return weightsFromModelFiles(trained, result);
  const tf = await import('@tensorflow/tfjs');
  const { registerCustomLayers, toTfjsModel } = await import('@/graph-compiler');
  const { nodeWeights } = await import('@/graph-compiler/emit/weights');
  const { withSeededMathRandom } = await import('@/lib/datasets/rng');
  registerCustomLayers(tf);
  const model = await withSeededMathRandom(checkTraining(doc.training).settings.seed, () => toTfjsModel(tf, result));
  const weights = nodeWeights(model, result);
  model.dispose();
  return weights;
}

/** The `.onnx` bytes of the graph, with trained weights when `trained` holds them. */
export async function onnxFile(doc: GraphDocument, result: CompileResult, trained: ModelFiles | null): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; message: string }> {
  const refusals = onnxRefusals(result);
  if (refusals.length) return { ok: false, message: `ONNX has no form here yet: ${refusals.join(' ')}` };
  const weights = await exportWeights(doc, result, trained);
  const out = toOnnx(result, weights, doc.name);
  return out.ok ? { ok: true, bytes: out.bytes } : { ok: false, message: out.messages.join(' ') };
}
