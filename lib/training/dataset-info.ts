/**
 * What the run checks know about the chosen data set before anything is loaded: MNIST's and
 * the 2-D sets' shapes are fixed; an uploaded CSV is checked now (so that a bad row shows at
 * once), and uploaded images take the Input's shape.
 */
import type { TrainingSettings } from '@/graph-compiler';
import { csvDataset, type CsvTable } from '@/lib/datasets/csv';
import { DataError } from '@/lib/datasets/errors';
import { groupByClass, type ImageEntry } from '@/lib/datasets/images';
import { MNIST_CLASSES, MNIST_SHAPE } from '@/lib/datasets/mnist';
import { isPlaygroundId, PLAYGROUND_TITLES } from '@/lib/datasets/playground';
import type { Dataset, DatasetInfo } from '@/lib/datasets/types';

export type UploadLike =
  | { kind: 'csv'; fileName: string; table: CsvTable }
  | { kind: 'images'; entries: ImageEntry[]; label: string };

export interface InfoOutcome {
  /** Null when the data set still needs an upload, or the upload has a problem. */
  info: DatasetInfo | null;
  /** The upload's problem, naming the row (CSV) or the file (images). */
  error: string | null;
  /** The CSV as a data set, when it reads cleanly (reused when the run starts). */
  csv?: Dataset;
}

export function staticDatasetInfo(settings: TrainingSettings, upload: UploadLike | null, inputShape: number[] | null): InfoOutcome {
  const id = settings.dataset;
  if (id === 'mnist') {
    return { info: { id, title: 'MNIST digits', task: 'classification', featureShape: MNIST_SHAPE, classNames: MNIST_CLASSES }, error: null };
  }
  if (isPlaygroundId(id)) {
    return { info: { id, title: `the ${PLAYGROUND_TITLES[id].toLowerCase()} points`, task: 'classification', featureShape: [2], classNames: ['0', '1'] }, error: null };
  }
  if (id === 'csv') {
    if (upload?.kind !== 'csv') return { info: null, error: null };
    try {
      const csv = csvDataset(upload.table, { labelColumn: settings.labelColumn, task: settings.task, seed: settings.seed, fileName: upload.fileName });
      return { info: { id, title: `"${upload.fileName}"`, task: csv.task, featureShape: csv.featureShape, classNames: csv.classNames }, error: null, csv };
    } catch (err) {
      if (err instanceof DataError) return { info: null, error: err.message };
      throw err;
    }
  }
  if (upload?.kind !== 'images') return { info: null, error: null };
  const { classes } = groupByClass(upload.entries);
  if (classes.size < 2) {
    return { info: null, error: classes.size === 0 ? 'None of the chosen files is an image (png, jpg, gif, webp, bmp).' : `All images fall in one class ("${[...classes.keys()][0]}"): put each class in its own folder and choose the parent folder.` };
  }
  return { info: { id, title: 'the images', task: 'classification', featureShape: inputShape ?? [0], classNames: [...classes.keys()] }, error: null };
}
