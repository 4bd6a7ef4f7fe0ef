/**
 * The document's `training` block: what a person set up to train the graph, so that a shared
 * link reproduces the whole experiment. Every field is optional and has a default; an unknown
 * field is a warning, a bad value an error that names the field. Read by the training panel,
 * the Keras export and the command line.
 */
import { z } from 'zod';
import { DATASET_FIELDS, DATASET_SPECS, datasetById, SUGGESTED_FIELDS, type DatasetFieldName, type DatasetId, type SuggestedSettings } from './datasets';
import { closest, diag } from './diagnostics';
import { formatValue } from './params';
import type { Diagnostic } from './types';

/** The `dataset` values: the data set registry's ids, in picker order. */
export const DATASETS = DATASET_SPECS.map((d) => d.id) as [DatasetId, ...DatasetId[]];
export const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'rmsprop', 'adagrad'] as const;
export const LOSSES = ['auto', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy', 'meanSquaredError', 'meanAbsoluteError'] as const;
export const MONITORS = ['val_loss', 'val_acc', 'loss', 'acc'] as const;

export type Dataset = DatasetId;
export type Optimizer = (typeof OPTIMIZERS)[number];
export type Loss = (typeof LOSSES)[number];

const field = <T extends z.ZodType>(schema: T, describe: string) => ({ schema, describe });
/** A data set's field, validated as its declaration says (`datasets/fields.ts`). */
const datasetField = <T extends z.ZodType>(name: DatasetFieldName, schema: T) =>
  field(schema, `${DATASET_FIELDS[name].param.describe} (${DATASET_FIELDS[name].appliesTo})`);
const { noise, trainRatio, samples, labelColumn, task } = DATASET_FIELDS;

/** Field → zod schema and, in words, what a valid value is. */
export const TRAINING_FIELDS = {
  dataset: field(z.enum(DATASETS), `one of ${DATASETS.join(', ')}`),
  optimizer: field(z.enum(OPTIMIZERS), `one of ${OPTIMIZERS.join(', ')}`),
  learningRate: field(z.number().gt(0), 'a number > 0'),
  momentum: field(z.number().min(0).lt(1), 'a number ≥ 0 and < 1'),
  loss: field(z.enum(LOSSES), `one of ${LOSSES.join(', ')}`),
  batchSize: field(z.number().int().min(1), 'a whole number ≥ 1'),
  epochs: field(z.number().int().min(1), 'a whole number ≥ 1'),
  validationSplit: field(z.number().min(0).lt(1), 'a number ≥ 0 and < 1'),
  earlyStopping: field(z.object({
    enabled: z.boolean().optional(),
    monitor: z.enum(MONITORS).optional(),
    patience: z.number().int().min(0).optional(),
    minDelta: z.number().min(0).optional(),
    restoreBestWeights: z.boolean().optional(),
  }).strict(), '{ enabled, monitor (val_loss | val_acc | loss | acc), patience ≥ 0, minDelta ≥ 0, restoreBestWeights }'),
  seed: field(z.number().int().min(0), 'a whole number ≥ 0'),
  noise: datasetField('noise', noise.param.schema as z.ZodType<number>),
  trainRatio: datasetField('trainRatio', trainRatio.param.schema as z.ZodType<number>),
  samples: datasetField('samples', samples.param.schema as z.ZodType<number>),
  labelColumn: datasetField('labelColumn', labelColumn.param.schema),
  task: datasetField('task', task.param.schema as z.ZodType<'classification' | 'regression'>),
} as const;

type Fields = typeof TRAINING_FIELDS;
/** A training block as written in a document: every field optional. */
export type TrainingBlock = { [K in keyof Fields]?: z.infer<Fields[K]['schema']> };

/** A training block with every default filled in. */
export type TrainingSettings = Required<Omit<TrainingBlock, 'labelColumn' | 'earlyStopping'>> & {
  labelColumn?: string;
  earlyStopping: Required<NonNullable<TrainingBlock['earlyStopping']>>;
};

/** The defaults a missing field takes. */
export const TRAINING_DEFAULTS: Readonly<TrainingSettings> = {
  dataset: 'mnist',
  optimizer: 'adam',
  learningRate: 0.001,
  momentum: 0.9,
  loss: 'auto',
  batchSize: 32,
  epochs: 5,
  validationSplit: 0.1,
  earlyStopping: { enabled: false, monitor: 'val_loss', patience: 3, minDelta: 0, restoreBestWeights: true },
  seed: 42,
  noise: 0.1,
  trainRatio: 0.5,
  samples: 1000,
  task: 'classification',
};

/** The settings a data set suggests (see `DatasetSpec.suggested`); empty for an unknown id. */
export function suggestedSettings(dataset: string): SuggestedSettings {
  return datasetById(dataset)?.suggested ?? {};
}

/** The suggested fields a block leaves to its data set: those it does not set. */
export function suggestedFieldsOf(block: unknown, dataset: string): SuggestedSettings {
  const set = (block ?? {}) as Record<string, unknown>;
  const s = suggestedSettings(dataset);
  return Object.fromEntries(SUGGESTED_FIELDS.filter((k) => s[k] !== undefined && set[k] === undefined).map((k) => [k, s[k]]));
}

/**
 * Validates a training block: bad values are errors, unknown fields warnings; nothing throws.
 * A field the block does not set takes its data set's suggestion, else the default.
 */
export function checkTraining(block: unknown): { settings: TrainingSettings; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const settings: TrainingSettings = { ...TRAINING_DEFAULTS, earlyStopping: { ...TRAINING_DEFAULTS.earlyStopping } };
  if (block === undefined) return { settings: { ...settings, ...suggestedFieldsOf(block, settings.dataset) }, diagnostics };
  const known = Object.keys(TRAINING_FIELDS);
  for (const [key, value] of Object.entries(block as Record<string, unknown>)) {
    const f = Object.hasOwn(TRAINING_FIELDS, key) ? (TRAINING_FIELDS as Record<string, { schema: z.ZodType; describe: string }>)[key] : undefined;
    if (!f) {
      const hint = closest(key, known);
      diagnostics.push(diag('unknown-key', `The training block has an unknown field "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}; it is kept but ignored.`));
      continue;
    }
    const r = f.schema.safeParse(value);
    if (!r.success) {
      diagnostics.push(diag('training-invalid', `Training: ${key} must be ${f.describe}; got ${formatValue(value)}.`, undefined, key));
      continue;
    }
    if (key === 'earlyStopping') settings.earlyStopping = { ...settings.earlyStopping, ...(r.data as object) };
    else (settings as Record<string, unknown>)[key] = r.data;
  }
  Object.assign(settings, suggestedFieldsOf(block, settings.dataset));
  return { settings, diagnostics };
}
