/**
 * Emission: a compiled, error-free graph becomes a tfjs functional model (tf.input and
 * layer.apply), with any number of inputs and outputs. tfjs is passed in, never imported, so
 * that the compiler stays out of the first page load.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { TF } from '../layer-spec';
import { layerByType } from '../layers';
import type { CompileResult } from '../types';
import { activationLayer, TFJS_ACTIVATIONS } from './custom-layers';

/** tfjs layer names allow letters, digits, `_`, `.`, `/` and `-`; node ids may hold anything. */
export function tfjsName(id: string): string {
  const clean = id.replace(/[^A-Za-z0-9_.\-/]/g, '_');
  return /^[A-Za-z]/.test(clean) ? clean : `n_${clean}`;
}

/**
 * Builds the tfjs model of a compiled graph. Throws when the graph has errors (check
 * `result.ok` first); the editor never calls it otherwise.
 *
 * @example
 * const tf = await import('@tensorflow/tfjs');
 * const model = toTfjsModel(tf, compile(doc));
 */
export function toTfjsModel(tf: TF, result: CompileResult, name = 'layerboard'): tfjs.LayersModel {
  if (!result.ok) {
    const first = result.diagnostics.find((d) => d.severity === 'error');
    throw new Error(`The graph has errors; first: ${first?.message}`);
  }
  const tensors = new Map<string, tfjs.SymbolicTensor>();
  const used = new Set<string>();
  const unique = (base: string) => {
    let n = base;
    for (let i = 2; used.has(n); i++) n = `${base}_${i}`;
    used.add(n);
    return n;
  };
  for (const id of result.order) {
    const node = result.nodes[id];
    const spec = layerByType(node.type)!;
    const p = node.params!;
    const layerName = unique(tfjsName(id));
    if (node.type === 'Input') {
      tensors.set(id, tf.input({ shape: node.outputShape!, name: layerName }));
      continue;
    }
    const act = spec.fusedActivation ? spec.activationOf?.(p) : undefined;
    const split = act !== undefined && !TFJS_ACTIVATIONS.has(act);
    const layer = spec.toTfjs(tf, split ? { ...p, activation: 'linear' } : p, layerName, node.outputShape!);
    // tfjs cannot run a merge that receives the same tensor twice (Add(a, a)): the repeats
    // pass through an identity layer so that each input is a distinct tensor.
    const ins = node.inputIds.map((s, i) =>
      node.inputIds.indexOf(s) === i
        ? tensors.get(s)!
        : (tf.layers.activation({ activation: 'linear', name: unique(`${layerName}_in${i + 1}`) }).apply(tensors.get(s)!) as tfjs.SymbolicTensor));
    let y = layer.apply(ins.length === 1 ? ins[0] : ins) as tfjs.SymbolicTensor;
    if (split) y = activationLayer(tf, unique(`${layerName}_${act}`), act!).apply(y) as tfjs.SymbolicTensor;
    tensors.set(id, y);
  }
  return tf.model({
    name,
    inputs: result.inputs.map((id) => tensors.get(id)!),
    outputs: result.outputs.map((id) => tensors.get(id)!),
  });
}
