/**
 * The browser services the data set modules' loaders receive (`LoadServices`): fetching an
 * asset of the app, decoding uploaded images on a canvas, the uploaded table. With them,
 * `loadDataset` loads whatever data set the settings name.
 */
import { datasetSpec } from '@/graph-compiler/datasets';
import { DataError } from '@/graph-compiler/datasets/errors';
import type { CsvTable } from '@/graph-compiler/datasets/csv-table';
import type { LoadServices, UploadSummary } from '@/graph-compiler/datasets/spec';
import type { Dataset } from '@/graph-compiler/datasets/types';
import type { TrainingSettings } from '@/graph-compiler';
import { imagesDataset, type ImageEntry } from './images';
import { fetchAsset } from './mnist';

/** What the person uploaded for the `csv` and `images` data sets. */
export type Upload =
  | { kind: 'csv'; fileName: string; table: CsvTable }
  | { kind: 'images'; entries: ImageEntry[]; label: string };

/** What the pure parts see of an upload: for images, the paths without the files. */
export function summarizeUpload(upload: Upload | null): UploadSummary | null {
  if (!upload || upload.kind === 'csv') return upload;
  return { kind: 'images', paths: upload.entries.map((e) => e.path), label: upload.label };
}

export interface LoadHooks {
  detail(text: string): void;
  progress(fraction: number): void;
}

/** Loads the data set the settings name, shaped for the Input (`inputShape`). */
export function loadDataset(settings: TrainingSettings, upload: Upload | null, inputShape: number[] | null, hooks: LoadHooks): Promise<Dataset> {
  const services: LoadServices = {
    fetchAsset: (url) => fetchAsset(url),
    csv: () => (upload?.kind === 'csv' ? upload : null),
    detail: hooks.detail,
    decodeImages(shape, seed) {
      if (upload?.kind !== 'images') throw new DataError('Choose a folder of images to train on.');
      hooks.detail(`Reading ${upload.entries.length} images…`);
      return imagesDataset(upload.entries, shape, { seed, onProgress: (d, t) => hooks.progress(d / t) });
    },
  };
  return datasetSpec(settings.dataset).load({ settings, inputShape, services });
}
