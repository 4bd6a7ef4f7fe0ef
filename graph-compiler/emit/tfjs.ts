/**
 * Emission to tfjs: the one walk over a compiled graph that writes its tfjs-layers topology
 * (`model.toJSON()` form, each layer's config written by its module's `tfjs.write`), and the live
 * tfjs model, which tfjs itself loads from that topology. So the model trained in the browser and
 * the `model.json` exported for it cannot disagree on names, configs, split activations or
 * identity layers. The topology is written with no tfjs and no weights allocated (VGG16's 138 M
 * weights would take half a gigabyte); tfjs is passed in, never imported, so that the compiler
 * stays out of the first page load.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { TF } from '../layer-spec';
import { layerByType } from '../layers';
import { activationLayerConfig, needsActivationLayer } from '../layers/activation';
import type { CompileResult } from '../types';
import { registerCustomLayers } from './custom-layers';

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

/** tfjs layer names allow letters, digits, `_`, `.`, `/` and `-`; node ids may hold anything. */
export function tfjsName(id: string): string {
  const clean = id.replace(/[^A-Za-z0-9_.\-/]/g, '_');
  return /^[A-Za-z]/.test(clean) ? clean : `n_${clean}`;
}

function assertOk(result: CompileResult): void {
  if (!result.ok) {
    const first = result.diagnostics.find((d) => d.severity === 'error');
    throw new Error(`The graph has errors; first: ${first?.message}`);
  }
}

/**
 * The topology of a compiled graph. Throws when the graph has errors (check `result.ok`).
 *
 * @example
 * const topology = toModelTopology(compile(doc), doc.name);
 * const model = await tf.models.modelFromJSON(topology); // what toTfjsModel does
 */
export function toModelTopology(result: CompileResult, name?: string): ModelTopology {
  return toNamedTopology(result, name).topology;
}

/**
 * The topology and, for each node id, the name of the tfjs layer that holds its weights (a node
 * whose activation is split off keeps its weights in this layer; the activation layer has none).
 */
export function toNamedTopology(result: CompileResult, name?: string): { topology: ModelTopology; layerOf: Record<string, string> } {
  assertOk(result);
  const layerOf: Record<string, string> = {};
  const used = new Set<string>();
  const unique = (base: string) => {
    let n = base;
    for (let i = 2; used.has(n); i++) n = `${base}_${i}`;
    used.add(n);
    return n;
  };
  const tensorOf = new Map<string, string>();
  const layers: Obj[] = [];
  const push = (layerName: string, form: { class_name: string; config: Obj }, inbound: unknown[][], trainable = true) => {
    layers.push({
      name: layerName, class_name: form.class_name,
      // A layer whose form freezes it (a Conv2D kernel preset) keeps its `trainable: false`.
      config: { ...form.config, name: layerName, ...(trainable && form.config.trainable !== false ? { trainable: true } : {}) },
      inbound_nodes: inbound.length ? [inbound] : [],
    });
  };
  for (const id of result.order) {
    const node = result.nodes[id];
    const spec = layerByType(node.type)!;
    const p = node.params!;
    const layerName = unique(tfjsName(id));
    layerOf[id] = layerName;
    const io = { inputs: node.inputIds.map((s) => result.nodes[s].outputShape!), output: node.outputShape! };
    if (node.inputIds.length === 0) {
      // An entry point: tfjs writes InputLayer configs without `trainable`.
      push(layerName, spec.tfjs.write(p, io), [], false);
      tensorOf.set(id, layerName);
      continue;
    }
    const act = spec.fusedActivation ? spec.activationOf?.(p) : undefined;
    const split = needsActivationLayer(act);
    const form = spec.tfjs.write(split ? { ...p, activation: 'linear' } : p, io);
    // tfjs cannot run a merge that receives the same tensor twice (Add(a, a)): the repeats
    // pass through an identity layer so that each input is a distinct tensor.
    const inbound = node.inputIds.map((s, i) => {
      if (node.inputIds.indexOf(s) === i) return [tensorOf.get(s)!, 0, 0, {}];
      const identity = unique(`${layerName}_in${i + 1}`);
      push(identity, activationLayerConfig('linear'), [[tensorOf.get(s)!, 0, 0, {}]]);
      return [identity, 0, 0, {}];
    });
    push(layerName, form, inbound);
    let out = layerName;
    if (split) {
      out = unique(`${layerName}_${act}`);
      push(out, activationLayerConfig(act, p.alpha as number | undefined), [[layerName, 0, 0, {}]]);
    }
    tensorOf.set(id, out);
  }
  const topology: ModelTopology = {
    class_name: 'Model',
    config: {
      name: name ? tfjsName(name) : 'layerboard',
      layers,
      input_layers: result.inputs.map((id) => [tensorOf.get(id)!, 0, 0]),
      output_layers: result.outputs.map((id) => [tensorOf.get(id)!, 0, 0]),
    },
    keras_version: `tfjs-layers ${TFJS_LAYERS_VERSION}`,
    backend: 'tensor_flow.js',
  };
  return { topology, layerOf };
}

/**
 * Builds the tfjs model of a compiled graph: tfjs loads it from `toModelTopology`, as it would
 * load the exported `model.json`. Throws when the graph has errors (check `result.ok` first).
 * The model is built synchronously within this call (before the returned promise settles), so a
 * seeded `Math.random` around the call seeds the initial weights.
 *
 * @example
 * const tf = await import('@tensorflow/tfjs');
 * const model = await toTfjsModel(tf, compile(doc));
 */
export function toTfjsModel(tf: TF, result: CompileResult, name = 'layerboard'): Promise<tfjs.LayersModel> {
  const { topology, layerOf } = toNamedTopology(result, name);
  registerCustomLayers(tf);
  return tf.models.modelFromJSON({ modelTopology: topology as never }).then((model) => {
    setFixedWeights(tf, model, result, layerOf);
    return model;
  });
}

/** Writes the weights layers hold fixed (Conv2D kernel presets) into a built model. */
export function setFixedWeights(tf: TF, model: tfjs.LayersModel, result: CompileResult, layerOf: Record<string, string>): void {
  for (const id of result.order) {
    const node = result.nodes[id];
    const fixed = layerByType(node.type)?.fixedWeights?.(node.params!, { inputs: node.inputIds.map((s) => result.nodes[s].outputShape!), output: node.outputShape! });
    if (!fixed) continue;
    const tensors = fixed.map((w) => tf.tensor(w.values, w.shape));
    model.getLayer(layerOf[id]).setWeights(tensors);
    tf.dispose(tensors);
  }
}
