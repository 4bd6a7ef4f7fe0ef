/**
 * Export to a tfjs `model.json` (format `layers-model`): the topology of `emit/tfjs.ts` (the same
 * walk that the live model is loaded from, so the weights of a trained model load into it by
 * name), and, for a model that was trained, its weights beside it. A graph with Maxout or the
 * step activation needs `registerCustomLayers(tf)` before `tf.loadLayersModel`.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { toModelTopology, TFJS_LAYERS_VERSION, type ModelTopology } from '../emit/tfjs';
import type { TF } from '../layer-spec';
import type { CompileResult } from '../types';

export { toModelTopology, TFJS_LAYERS_VERSION, type ModelTopology };

/** A weight's entry in the manifest. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool' | 'string' | 'complex64';
}

/** The `model.json` file of a tfjs layers model. */
export interface ModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: string | null;
  modelTopology: ModelTopology;
  weightsManifest?: { paths: string[]; weights: WeightSpec[] }[];
}

/**
 * The `model.json` of a compiled graph, topology only: `tf.loadLayersModel` gives a freshly
 * initialised model. Pass `weights` to name a weights file and its manifest.
 */
export function toModelJson(result: CompileResult, name?: string, weights?: { path: string; specs: WeightSpec[] }): ModelJson {
  return {
    format: 'layers-model',
    generatedBy: `Layerboard (tfjs-layers ${TFJS_LAYERS_VERSION} topology)`,
    convertedBy: null,
    modelTopology: toModelTopology(result, name),
    ...(weights ? { weightsManifest: [{ paths: [weights.path], weights: weights.specs }] } : {}),
  };
}

/**
 * `model.json` and its weights file for a tfjs model. With the compile result the model was
 * built from by `toTfjsModel` (e.g. after training), the topology is written from it; with
 * `null` (a model loaded from files) it is tfjs's own. The weights come from tfjs itself
 * (`model.save`), in its manifest order.
 *
 * @example
 * const { modelJson, weights } = await saveTfjsModel(tf, model, compile(doc), doc.name);
 * download('model.json', JSON.stringify(modelJson)); download('weights.bin', weights);
 */
export async function saveTfjsModel(
  tf: TF, model: tfjs.LayersModel, result: CompileResult | null, name?: string, weightsPath = 'weights.bin',
): Promise<{ modelJson: ModelJson; weights: Uint8Array }> {
  let saved: tfjs.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const data = saved?.weightData;
  const buffers = data === undefined ? [] : Array.isArray(data) ? data : [data];
  const total = buffers.reduce((s, b) => s + b.byteLength, 0);
  const weights = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    weights.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  const specs = (saved?.weightSpecs ?? []).map((s) => ({ name: s.name, shape: s.shape, dtype: s.dtype })) as WeightSpec[];
  if (result) return { modelJson: toModelJson(result, name, { path: weightsPath, specs }), weights };
  const modelJson: ModelJson = {
    format: 'layers-model',
    generatedBy: saved?.generatedBy ?? `TensorFlow.js tfjs-layers v${TFJS_LAYERS_VERSION}`,
    convertedBy: saved?.convertedBy ?? null,
    modelTopology: saved?.modelTopology as ModelTopology,
    weightsManifest: [{ paths: [weightsPath], weights: specs }],
  };
  return { modelJson, weights };
}
