/**
 * Export to a tfjs `model.json` (format `layers-model`): the topology written directly from the
 * compile result, with no tfjs and no weights allocated (VGG16's 138 M weights would take half
 * a gigabyte), and, for a model that was trained, its weights beside it.
 *
 * Layer names, order of split activations and configs are those of `toTfjsModel`, so that the
 * weights of a model it built load into this topology by name. A graph with Maxout or the step
 * activation needs `registerCustomLayers(tf)` before `tf.loadLayersModel`.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { TFJS_ACTIVATIONS } from '../emit/custom-layers';
import { tfjsName } from '../emit/tfjs';
import type { TF } from '../layer-spec';
import { layerByType } from '../layers';
import type { CompileResult } from '../types';
import { activationConfig, layerConfig } from './tfjs-layers';

/** The tfjs-layers version whose `model.toJSON()` this output matches. */
export const TFJS_LAYERS_VERSION = '4.22.0';

type Obj = Record<string, unknown>;

/** The Keras-style model topology (`model.toJSON()` of tfjs-layers). */
export interface ModelTopology {
  class_name: 'Model';
  config: { name: string; layers: Obj[]; input_layers: [string, 0, 0][]; output_layers: [string, 0, 0][] };
  keras_version: string;
  backend: string;
}

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

/** tfjs model names follow the layer-name rules. */
function modelName(name: string | undefined): string {
  return name ? tfjsName(name) : 'layerboard';
}

/**
 * The topology of a compiled graph. Throws when the graph has errors (check `result.ok`).
 *
 * @example
 * const topology = toModelTopology(compile(doc), doc.name);
 * const model = tf.models.modelFromJSON(topology); // what tfjs builds from it
 */
export function toModelTopology(result: CompileResult, name?: string): ModelTopology {
  if (!result.ok) {
    const first = result.diagnostics.find((d) => d.severity === 'error');
    throw new Error(`The graph has errors; first: ${first?.message}`);
  }
  const used = new Set<string>();
  const unique = (base: string) => {
    let n = base;
    for (let i = 2; used.has(n); i++) n = `${base}_${i}`;
    used.add(n);
    return n;
  };
  const tensorOf = new Map<string, string>();
  const layers: Obj[] = [];
  for (const id of result.order) {
    const node = result.nodes[id];
    const p = node.params!;
    const layerName = unique(tfjsName(id));
    if (node.type === 'Input') {
      layers.push({
        name: layerName, class_name: 'InputLayer',
        config: { batch_input_shape: [null, ...node.outputShape!], dtype: 'float32', sparse: false, name: layerName },
        inbound_nodes: [],
      });
      tensorOf.set(id, layerName);
      continue;
    }
    const spec = layerByType(node.type)!;
    const act = spec.fusedActivation ? spec.activationOf?.(p) : undefined;
    const split = act !== undefined && !TFJS_ACTIVATIONS.has(act);
    // A copy: tfjs layers built later from the same params may rewrite their arrays in place.
    const { class_name, config } = structuredClone(layerConfig(node.type, p, layerName, split ? 'linear' : undefined, node.outputShape!));
    // As in emission: a merge fed the same tensor twice gets the repeats through identity layers.
    const inbound = node.inputIds.map((s, i) => {
      if (node.inputIds.indexOf(s) === i) return [tensorOf.get(s)!, 0, 0, {}];
      const id2 = unique(`${layerName}_in${i + 1}`);
      layers.push({ name: id2, ...activationConfig('linear', id2), inbound_nodes: [[[tensorOf.get(s)!, 0, 0, {}]]] });
      return [id2, 0, 0, {}];
    });
    layers.push({ name: layerName, class_name, config, inbound_nodes: [inbound] });
    let out = layerName;
    if (split) {
      const extra = unique(`${layerName}_${act}`);
      const a = activationConfig(act!, extra);
      layers.push({ name: extra, ...a, inbound_nodes: [[[layerName, 0, 0, {}]]] });
      out = extra;
    }
    tensorOf.set(id, out);
  }
  return {
    class_name: 'Model',
    config: {
      name: modelName(name),
      layers,
      input_layers: result.inputs.map((id) => [tensorOf.get(id)!, 0, 0]),
      output_layers: result.outputs.map((id) => [tensorOf.get(id)!, 0, 0]),
    },
    keras_version: `tfjs-layers ${TFJS_LAYERS_VERSION}`,
    backend: 'tensor_flow.js',
  };
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
 * `model.json` and its weights file for a tfjs model built by `toTfjsModel` from `result` (e.g.
 * after training). The weights come from tfjs itself (`model.save`), in its manifest order.
 *
 * @example
 * const { modelJson, weights } = await saveTfjsModel(tf, model, compile(doc), doc.name);
 * download('model.json', JSON.stringify(modelJson)); download('weights.bin', weights);
 */
export async function saveTfjsModel(
  tf: TF, model: tfjs.LayersModel, result: CompileResult, name?: string, weightsPath = 'weights.bin',
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
  return { modelJson: toModelJson(result, name, { path: weightsPath, specs }), weights };
}
