/**
 * What every data set becomes before training: flat feature arrays in one shape, labels as
 * numbers, a fixed train/test split. The runner turns them into tensors a batch at a time.
 */

export type Task = 'classification' | 'regression';

/** The data set names of the training block's `dataset` field (the registry's ids). */
export type DatasetId = 'mnist' | 'circle' | 'xor' | 'gaussian' | 'spiral' | 'csv' | 'images';

/** One split: `n` examples, each `size(featureShape)` values, row-major. */
export interface Split {
  /** Features, one example after the other. Uint8Array holds pixels that `xScale` maps to [0, 1]. */
  x: Float32Array | Uint8Array;
  /** The class index (classification) or the target value (regression) of each example. */
  y: Float32Array;
  n: number;
}

/** What the checks need to know about a data set before it is loaded. */
export interface DatasetInfo {
  id: DatasetId;
  title: string;
  task: Task;
  /** Shape of one example, without the batch axis, e.g. `[28, 28, 1]` or `[2]`. */
  featureShape: number[];
  /** Class names in class-index order; empty for regression. */
  classNames: string[];
}

/** A loaded data set. */
export interface Dataset extends DatasetInfo {
  /** Multiplier from stored `x` values to model inputs: 1/255 for uint8 pixels, else 1. */
  xScale: number;
  train: Split;
  test: Split;
  /** How the data is drawn in the prediction grid: digit/photo tiles, 2-D points, or table rows. */
  kind: 'image' | 'points' | 'table';
  /** For 2-D sets: the range of both coordinates in the original units, for the heatmap axes. */
  domain?: [number, number];
  /** For 2-D sets: divide original coordinates by this to get model inputs. */
  pointScale?: number;
  /** For tables: feature column names, in feature order. */
  featureNames?: string[];
  /** For tables: the name of the label column. */
  labelName?: string;
  /** For regression: targets are stored standardised; value = stored · std + mean. */
  target?: { mean: number; std: number };
  /** One line on where the data came from and how it was split. */
  source: string;
}

/** Number of values in one example. */
export function exampleSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
