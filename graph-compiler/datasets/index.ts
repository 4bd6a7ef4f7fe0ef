/**
 * The data set registry: a plain list, as `layers/index.ts` is for layers. Adding a data set
 * is adding its module and one line here; the training block's `dataset` values, the form's
 * picker, the run checks and the Keras export follow.
 */
import { circle } from './circle';
import { csv } from './csv';
import { gaussian } from './gaussian';
import { images } from './images';
import { mnist } from './mnist';
import type { PlaygroundId, PlaygroundSpec } from './playground';
import type { DatasetSpec } from './spec';
import { spiral } from './spiral';
import type { DatasetId } from './types';
import { xor } from './xor';

/** The 2-D sets, in picker order. */
export const PLAYGROUND_SETS: readonly PlaygroundSpec[] = [circle, xor, gaussian, spiral];

/** Every data set, in picker order (the `dataset` values of graph-format version 1). */
export const DATASET_SPECS: readonly DatasetSpec[] = [mnist, ...PLAYGROUND_SETS, csv, images];

const byId = new Map(DATASET_SPECS.map((d) => [d.id, d]));

/** The spec of a data set, or undefined for an unknown id. */
export function datasetById(id: string): DatasetSpec | undefined {
  return byId.get(id);
}

/** The spec of a data set the training block already validated. */
export function datasetSpec(id: DatasetId): DatasetSpec {
  return byId.get(id)!;
}

export function isPlaygroundId(id: string): id is PlaygroundId {
  return PLAYGROUND_SETS.some((s) => s.id === id);
}

/** The spec of a 2-D set. */
export function playgroundSet(id: PlaygroundId): PlaygroundSpec {
  return PLAYGROUND_SETS.find((s) => s.id === id)!;
}

export { DATASET_FIELDS, type DatasetFieldDecl, type DatasetFieldName } from './fields';
export { DATASET_GROUPS, SUGGESTED_FIELDS, type DatasetGroup, type DatasetSpec, type InfoOutcome, type LoadServices, type SuggestedSettings, type UploadSummary } from './spec';
export type { PlaygroundId, PlaygroundSpec, Point } from './playground';
export * from './types';
