/**
 * The one declaration each data set makes, as `LayerSpec` is for layers. The training form,
 * the run checks, the browser's loading and the exported Python script all read it; adding a
 * data set is adding one module under `datasets/` and listing it in `datasets/index.ts`.
 *
 * Design: everything a data set knows that is pure (its words, fields, task, classes, checks
 * against the compiled graph, 2-D generators, CSV parsing, Python text) lives in its module
 * here, so the compiler, the command line and jest share it. What needs a browser (fetching
 * the MNIST asset and gunzipping it, decoding uploaded images on a canvas) is not imported:
 * a module's `load` receives those services as a `LoadServices` object, which
 * `lib/datasets/services.ts` implements. The compiler never imports `lib/`.
 */
import { fmtShape, size } from '../format';
import type { CsvTable } from './csv-table';
import type { DatasetFieldName } from './fields';
import type { TargetEncoding } from './loss';
import type { Dataset, DatasetInfo, Task } from './types';
import type { Shape } from '../types';
import type { TrainingSettings } from '../training';

/** The groups of the data set picker, in order. */
export const DATASET_GROUPS = [
  { id: 'images', title: 'Images' },
  { id: 'points', title: '2-D points (TensorFlow Playground)' },
  { id: 'yours', title: 'Your data' },
] as const;
export type DatasetGroup = (typeof DATASET_GROUPS)[number]['id'];

/** What a person chose for the data sets that need a file, as far as the pure parts need it. */
export type UploadSummary =
  | { kind: 'csv'; fileName: string; table: CsvTable }
  /** Image files by the path they were picked with (`cat/1.png`). */
  | { kind: 'images'; paths: readonly string[]; label: string };

/** What the checks learn about a data set before it is loaded. */
export interface InfoOutcome {
  /** Null when the data set still needs an upload, or the upload has a problem. */
  info: DatasetInfo | null;
  /** The upload's problem, naming the row (CSV) or the file (images). */
  error: string | null;
  /** The CSV as a data set, when it reads cleanly (reused when the run starts). */
  csv?: Dataset;
}

export interface InfoContext {
  settings: TrainingSettings;
  upload: UploadSummary | null;
  /** The graph's single Input shape, when there is one. */
  inputShape: Shape | null;
}

/** The browser services a loader needs; `lib/datasets/services.ts` provides them. */
export interface LoadServices {
  /** The bytes of a static asset of the app, gunzipped. */
  fetchAsset(url: string): Promise<Uint8Array>;
  /** Decodes the uploaded images into a data set shaped `[h, w, c]` (canvas work). */
  decodeImages(shape: Shape, seed: number): Promise<Dataset>;
  /** The uploaded table, for the CSV data set. */
  csv(): { fileName: string; table: CsvTable } | null;
  /** A line under the status while loading (e.g. `Loading the MNIST digits (1.6 MB)…`). */
  detail(text: string): void;
}

export interface LoadContext {
  settings: TrainingSettings;
  /** The graph's single Input shape, when there is one. */
  inputShape: Shape | null;
  services: LoadServices;
}

/** What the `load_data()` of an exported script is written from. */
export interface PythonContext {
  settings: TrainingSettings;
  inputShape: Shape;
  /** Units of the model's output (one-hot width). */
  units: number;
  /** How labels become targets, as the browser encodes them. */
  encoding: TargetEncoding;
  /** The script's framework, for the few lines that load data through it (MNIST's fallback, image folders); default Keras. */
  framework?: 'keras' | 'pytorch';
}

/** The run settings a data set suggests; the training-block fields they fill when absent. */
export const SUGGESTED_FIELDS = ['optimizer', 'learningRate', 'epochs', 'batchSize'] as const;
export type SuggestedSettings = Partial<Pick<TrainingSettings, (typeof SUGGESTED_FIELDS)[number]>>;

export interface DatasetSpec {
  /** The training block's `dataset` value. */
  id: string;
  /** As the picker shows it: `MNIST digits`. */
  title: string;
  group: DatasetGroup;
  /** One or two sentences for a student: what the examples are and what is predicted. */
  description: string;
  /** Classification or regression; a function of the settings where the person decides (CSV). */
  task(settings: TrainingSettings): Task;
  /** The training-block fields that apply to this data set, in form order. */
  fields: readonly DatasetFieldName[];
  /** The file the person must choose first, if any. */
  upload?: 'csv' | 'images';
  /**
   * Settings that train a small hand-built network on this data set well (a 2-4-1 tanh network
   * reaches 95 % on the 2-D sets with them). A training block that does not set a field takes
   * the suggestion instead of the general default; the form shows it as a suggestion.
   */
  suggested?: SuggestedSettings;
  /** Feature shape and classes, as far as they are known before loading. */
  info(ctx: InfoContext): InfoOutcome;
  /** Examples in the training split, when known before loading. */
  trainCount?(settings: TrainingSettings, outcome: InfoOutcome): number | undefined;
  /**
   * Why the graph's Input (`node`: `Input "in"`) cannot take this data set's examples, or null
   * when it can. Absent: `inputSizeProblem`, the Input must hold as many values as one example
   * (the data is reshaped to it).
   */
  checkInput?(input: Shape, info: DatasetInfo, node: string): string | null;
  /** The data, shaped for the Input (`inputShape`), with its train and test splits. */
  load(ctx: LoadContext): Promise<Dataset>;
  /**
   * The Python `load_data()` of an exported script, returning `(x_train, y_train), (x_test,
   * y_test)` as numpy arrays shaped for the Input and encoded as the browser encodes targets.
   * May use `np`, `math`, the RNG helpers of `PY_RNG`, `INPUT_SHAPE` and `SETTINGS`.
   */
  python(ctx: PythonContext): string;
}

/** The default input check: as many values as one example, in any shape (row-major reshape). */
export function inputSizeProblem(input: Shape, info: DatasetInfo, node: string): string | null {
  const want = info.featureShape;
  if (size(input) === size(want)) return null;
  return `${node} has shape ${fmtShape(input)} (${size(input)} values), but each example of ${info.title} is ${fmtShape(want)} (${size(want)} values): set the Input's shape to ${fmtShape(want)}.`;
}

/** Declares a data set (the identity: it only checks the declaration's type). */
export function defineDataset(spec: DatasetSpec): DatasetSpec {
  return spec;
}

/** `Python` lines that encode integer class labels `y_train`/`y_test` as the browser does. */
export function pyEncodeTargets(encoding: TargetEncoding, units: number): string {
  if (encoding === 'onehot') return `\n    y_train, y_test = np.eye(${units}, dtype="float32")[y_train], np.eye(${units}, dtype="float32")[y_test]`;
  return '\n    y_train, y_test = y_train.astype("float32").reshape(-1, 1), y_test.astype("float32").reshape(-1, 1)';
}
