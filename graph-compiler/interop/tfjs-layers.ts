/**
 * Reading one Keras 2, Keras 3 or tfjs layer config as a Layerboard node: the class name picks
 * the layer module that reads it (`tfjs.reads`), and the module reads its own config. Writing is
 * the modules' `tfjs.write`, in the one walk of `emit/tfjs.ts`.
 */
import { LAYERS } from '../layers';
import type { Obj } from './keras-config';

export type { LayerConfigJson } from './keras-config';

/** What a layer config becomes: a node, or a reason it cannot be one. */
export type ImportedLayer =
  | { ok: true; type: string; params: Obj; notes: string[] }
  | { ok: false; reason: string };

let readers: Map<string, (typeof LAYERS)[number]> | undefined;

/** Reads one layer config (InputLayer included: it becomes an entry point). */
export function importLayer(className: string, config: Obj): ImportedLayer {
  readers ??= new Map(LAYERS.flatMap((spec) => spec.tfjs.reads.map((cls) => [cls, spec] as const)));
  const spec = readers.get(className);
  if (!spec) return { ok: false, reason: 'Layerboard has no such layer' };
  const read = spec.tfjs.read(config, className);
  if ('reason' in read) return { ok: false, reason: read.reason };
  return { ok: true, type: spec.type, params: read.params, notes: read.notes ?? [] };
}
