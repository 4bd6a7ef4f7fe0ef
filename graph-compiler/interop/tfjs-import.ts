/**
 * Import of a tfjs layers `model.json` into a graph document. Reads what tfjs writes
 * (`model.save()`, `model.toJSON()`) and what tensorflowjs_converter writes from Keras
 * (`modelTopology.model_config`), Sequential and functional models, Keras 2 configs
 * (`inbound_nodes` as nested lists, `batch_input_shape`) and Keras 3 configs (`inbound_nodes` as
 * `{args, kwargs}` with `keras_history`, `batch_shape`, `{module, class_name, config}` wrappers).
 *
 * A layer Layerboard does not have is left out with one message naming it and its class; the
 * layers after it are fed from its input instead, so the rest of the graph stays connected and
 * the compiler says where shapes no longer fit. Weights are not read: a document has none.
 * Positions are left out; the editor lays out a document without positions.
 */
import type { GraphDocument, GraphEdge, GraphNode } from '../types';
import { layerByType } from '../layers';
import { activation as activationLayer, needsActivationLayer } from '../layers/activation';
import { importLayer } from './tfjs-layers';
import { formatValue } from '../params';
import { doorProblem } from '../passes/limits';

type Obj = Record<string, unknown>;

/** The outcome of an import: a document and what could not be carried over, or why nothing could. */
export type ModelImport =
  | { ok: true; doc: GraphDocument; messages: string[]; leftOut: string[] }
  | { ok: false; message: string };

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

interface RawLayer {
  name: string;
  className: string;
  config: Obj;
  /** Names of the layers feeding this one, in order (first call only). */
  inputs: string[];
  calls: number;
}

/** The Keras model config inside whatever wrapper the file has. */
function findModelConfig(value: unknown): { className: string; config: unknown } | string {
  if (!isObject(value)) return 'expected a JSON object (a tfjs model.json)';
  if (value.format === 'graph-model') {
    return 'this is a tfjs graph model (converted from a TensorFlow SavedModel or frozen graph); only layers models (format "layers-model", from Keras or tfjs-layers) can be imported';
  }
  if (value.format === 'layerboard.graph') return 'this is a Layerboard graph document, not a model.json; open it as a graph';
  let topology: unknown = value.modelTopology ?? value;
  if (isObject(topology) && isObject(topology.model_config)) topology = topology.model_config;
  if (!isObject(topology) || typeof topology.class_name !== 'string') {
    return 'no model topology found: expected "modelTopology" with a "class_name" (Sequential, Model or Functional)';
  }
  return { className: topology.class_name, config: topology.config };
}

/** Collects `[layerName, node, tensor]` references from Keras 3 call arguments, in order. */
function kerasHistory(args: unknown, out: string[]): void {
  if (Array.isArray(args)) {
    for (const a of args) kerasHistory(a, out);
    return;
  }
  if (!isObject(args)) return;
  const cfg = args.config;
  if (args.class_name === '__keras_tensor__' && isObject(cfg) && Array.isArray(cfg.keras_history)) {
    if (typeof cfg.keras_history[0] === 'string') out.push(cfg.keras_history[0]);
    return;
  }
  for (const v of Object.values(args)) kerasHistory(v, out);
}

function inboundOf(layer: Obj): { inputs: string[]; calls: number } {
  const nodes = layer.inbound_nodes;
  if (!Array.isArray(nodes) || nodes.length === 0) return { inputs: [], calls: 0 };
  const first = nodes[0];
  const inputs: string[] = [];
  if (Array.isArray(first)) {
    for (const ref of first) if (Array.isArray(ref) && typeof ref[0] === 'string') inputs.push(ref[0]);
  } else if (isObject(first)) {
    kerasHistory(first.args, inputs);
  }
  return { inputs, calls: nodes.length };
}

/** Keras 3 nests configs as `{module, class_name, config, registered_name}`; both read the same here. */
function layerEntries(list: unknown): Obj[] {
  return Array.isArray(list) ? list.filter(isObject) : [];
}

function shapeOf(v: unknown): number[] | undefined {
  return Array.isArray(v) && v.length >= 2 ? (v.slice(1) as number[]) : undefined;
}

function inputShape(config: Obj): number[] | undefined {
  return shapeOf(config.batch_input_shape) ?? shapeOf(config.batch_shape)
    ?? (Array.isArray(config.input_shape) ? (config.input_shape as number[]) : undefined);
}

function readLayers(className: string, config: unknown, messages: string[]): { name: string; layers: RawLayer[]; outputs: string[] } | string {
  const cfg = isObject(config) ? config : { layers: config };
  const name = typeof cfg.name === 'string' ? cfg.name : '';
  const entries = layerEntries(cfg.layers);
  if (entries.length === 0) return `the ${className} model has no layers`;
  const raw = entries.map((l): RawLayer => {
    const lc = isObject(l.config) ? l.config : {};
    const lname = typeof l.name === 'string' ? l.name : typeof lc.name === 'string' ? lc.name : '';
    // A class name that is not a string names no layer; shown as JSON, never through String().
    const cls = typeof l.class_name === 'string' ? l.class_name : formatValue(l.class_name);
    return { name: lname, className: cls, config: lc, ...inboundOf(l) };
  });
  const names = new Set<string>();
  raw.forEach((l, i) => {
    if (!l.name || names.has(l.name)) l.name = `${l.name || 'layer'}_${i + 1}`;
    names.add(l.name);
  });

  if (className === 'Sequential') {
    const layers: RawLayer[] = [];
    const first = raw[0];
    if (first.className !== 'InputLayer') {
      const shape = inputShape(first.config) ?? shapeOf(cfg.build_input_shape);
      if (!shape) messages.push('The Sequential model does not say its input shape; set the shape of the Input layer.');
      const input: RawLayer = { name: names.has('input') ? 'input_0' : 'input', className: 'InputLayer', config: shape ? { batch_input_shape: [null, ...shape] } : {}, inputs: [], calls: 0 };
      layers.push(input);
    }
    for (const l of raw) layers.push({ ...l, inputs: layers.length ? [layers[layers.length - 1].name] : [], calls: 1 });
    return { name, layers, outputs: [layers[layers.length - 1].name] };
  }
  if (className === 'Model' || className === 'Functional') {
    const outputs: string[] = [];
    kerasHistory(cfg.output_layers, outputs);
    if (Array.isArray(cfg.output_layers)) {
      const ol = cfg.output_layers;
      if (typeof ol[0] === 'string') outputs.push(ol[0]);
      for (const o of ol) if (Array.isArray(o) && typeof o[0] === 'string') outputs.push(o[0]);
    }
    return { name, layers: raw, outputs };
  }
  return `a "${className}" model cannot be imported (expected Sequential, Model or Functional)`;
}

/** Our own export splits `step`/`leakyRelu` off a Dense or convolution as `<name>_<activation>`; join them again. */
function fuseSplitActivations(nodes: GraphNode[], edges: GraphEdge[]): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const consumers = new Map<string, GraphEdge[]>();
  const feeders = new Map<string, GraphEdge[]>();
  for (const e of edges) {
    consumers.set(e.source, [...(consumers.get(e.source) ?? []), e]);
    feeders.set(e.target, [...(feeders.get(e.target) ?? []), e]);
  }
  const fused = new Map<string, string>();
  for (const n of nodes) {
    if (n.type !== activationLayer.type) continue;
    const act = n.params.activation as string;
    if (!needsActivationLayer(act)) continue;
    const into = feeders.get(n.id) ?? [];
    if (into.length !== 1 || n.id !== `${into[0].source}_${act}`) continue;
    const host = nodes.find((m) => m.id === into[0].source);
    if (!host || !layerByType(host.type)?.fusedActivation) continue;
    if ((host.params.activation ?? 'linear') !== 'linear' || (consumers.get(host.id) ?? []).length !== 1) continue;
    // The slope travels with it (the host declares leakyRelu's alpha too).
    host.params = { ...host.params, activation: act, ...(n.params.alpha !== undefined ? { alpha: n.params.alpha } : {}) };
    fused.set(n.id, host.id);
  }
  if (fused.size === 0) return { nodes, edges };
  return {
    nodes: nodes.filter((n) => !fused.has(n.id)),
    edges: edges.filter((e) => !fused.has(e.target)).map((e) => (fused.has(e.source) ? { ...e, source: fused.get(e.source)! } : e)),
  };
}

/**
 * Reads a model.json (already JSON-decoded) into a graph document.
 *
 * @example
 * const r = fromModelJson(JSON.parse(text));
 * if (r.ok) { replaceDocument(r.doc); r.messages.forEach(toast); }
 */
export function fromModelJson(value: unknown): ModelImport {
  const door = doorProblem(value);
  if (door) return { ok: false, message: door.message };
  try {
    return readModelJson(value);
  } catch {
    // A config shaped like no model any Keras writes: our words, never the JavaScript error.
    return { ok: false, message: 'the model.json has a layer config this importer cannot read (not one tfjs or Keras writes)' };
  }
}

function readModelJson(value: unknown): ModelImport {
  const found = findModelConfig(value);
  if (typeof found === 'string') return { ok: false, message: found };
  const messages: string[] = [];
  const read = readLayers(found.className, found.config, messages);
  if (typeof read === 'string') return { ok: false, message: read };

  const nodes: GraphNode[] = [];
  const leftOut: string[] = [];
  // A left-out layer's consumers are fed from what fed it.
  const replacement = new Map<string, string[]>();
  const resolve = (name: string): string[] => replacement.get(name) ?? [name];
  const edges: GraphEdge[] = [];

  for (const l of read.layers) {
    const sources = l.inputs.flatMap(resolve);
    if (l.calls > 1) messages.push(`Layer "${l.name}" (${l.className}) is used ${l.calls} times (a shared layer); only its first use is imported.`);
    const imported = importLayer(l.className, l.config);
    if (!imported.ok) {
      leftOut.push(l.name);
      replacement.set(l.name, sources.slice(0, 1));
      messages.push(`Layer "${l.name}" (${l.className}) is not supported: ${imported.reason}. It is left out${sources.length ? `, and the layers after it take its input "${sources[0]}" instead` : ''}.`);
      continue;
    }
    for (const note of imported.notes) messages.push(`Layer "${l.name}" (${l.className}): ${note}.`);
    nodes.push({ id: l.name, type: imported.type, params: imported.params });
    for (const source of sources) edges.push({ source, target: l.name });
  }
  const unfed = read.outputs.filter((o) => leftOut.includes(o));
  if (unfed.length) messages.push(`The model's output${unfed.length > 1 ? 's' : ''} ${unfed.map((o) => `"${o}"`).join(', ')} ${unfed.length > 1 ? 'were' : 'was'} left out; the graph now ends before ${unfed.length > 1 ? 'them' : 'it'}.`);

  const joined = fuseSplitActivations(nodes, edges);
  return {
    ok: true,
    doc: {
      format: 'layerboard.graph',
      version: 1,
      ...(read.name ? { name: read.name } : {}),
      nodes: joined.nodes,
      edges: joined.edges,
    },
    messages,
    leftOut,
  };
}
