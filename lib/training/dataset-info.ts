/**
 * What the run checks know about the chosen data set before anything is loaded, as its module
 * declares it: MNIST's and the 2-D sets' shapes are fixed; an uploaded CSV is checked now (so
 * that a bad row shows at once), and uploaded images take the Input's shape.
 */
import type { TrainingSettings } from '@/graph-compiler';
import { datasetSpec } from '@/graph-compiler/datasets';
import type { InfoOutcome } from '@/graph-compiler/datasets/spec';
import { summarizeUpload, type Upload } from '@/lib/datasets/services';

export type { InfoOutcome } from '@/graph-compiler/datasets/spec';
export type UploadLike = Upload;

export function staticDatasetInfo(settings: TrainingSettings, upload: UploadLike | null, inputShape: number[] | null): InfoOutcome {
  return datasetSpec(settings.dataset).info({ settings, upload: summarizeUpload(upload), inputShape });
}

/** Examples in the training split before loading, when the data set knows them. */
export function staticTrainCount(settings: TrainingSettings, outcome: InfoOutcome): number | undefined {
  return datasetSpec(settings.dataset).trainCount?.(settings, outcome);
}
