/**
 * The training-block fields that belong to data sets, declared once with the param builders
 * the layers use: their schema and limits validate documents (`training.ts`), and the training
 * form is generated from them, as the inspector is from layer params. A data set lists the
 * ones that apply to it (`DatasetSpec.fields`).
 */
import { z } from 'zod';
import { choice, float, int, type ChoiceSpec, type FloatSpec, type IntSpec } from '../params';

/** How the form shows a number field, beyond its limits. */
export interface FieldControl {
  /** A slider over this range (may be narrower than what a document may hold). */
  slider?: { min: number; max: number; step: number };
  /** Shown as a percentage (0.25 → 25%). */
  percent?: boolean;
}

interface FieldBase {
  /** The form's label. */
  label: string;
  /** For the documentation of the training block: the data sets it applies to. */
  appliesTo: string;
}

export type NumberFieldDecl = FieldBase & { kind: 'number'; param: IntSpec | FloatSpec; control?: FieldControl };
export type ChoiceFieldDecl = FieldBase & { kind: 'choice'; param: ChoiceSpec; titles: Record<string, string> };
/** A column of the uploaded table; the options come from its header, the last column by default. */
export type ColumnFieldDecl = FieldBase & { kind: 'column'; param: { schema: z.ZodType<string>; describe: string; help: string } };
export type DatasetFieldDecl = NumberFieldDecl | ChoiceFieldDecl | ColumnFieldDecl;

const TASKS = ['classification', 'regression'] as const;

/** Every data set field by its training-block name. */
export const DATASET_FIELDS = {
  noise: {
    kind: 'number', label: 'Noise', appliesTo: '2-D data sets', control: { slider: { min: 0, max: 0.5, step: 0.05 }, percent: true },
    param: float({ min: 0, max: 1, default: 0.1, help: 'How far points stray over the boundary (the Playground slider goes to 50%)' }),
  },
  trainRatio: {
    kind: 'number', label: 'Train ratio', appliesTo: '2-D data sets', control: { slider: { min: 0.1, max: 0.9, step: 0.1 }, percent: true },
    param: float({ min: 0, max: 1, minExclusive: true, maxExclusive: true, default: 0.5, help: 'Share of the points to train on; the rest is the test split' }),
  },
  samples: {
    kind: 'number', label: 'Points', appliesTo: '2-D data sets',
    param: int({ min: 10, max: 100_000, default: 1000, help: 'How many points are generated' }),
  },
  labelColumn: {
    kind: 'column', label: 'Label column', appliesTo: 'CSV',
    param: { schema: z.string(), describe: 'a column name', help: 'The column to predict; the others are the features' },
  },
  task: {
    kind: 'choice', label: 'Task', appliesTo: 'CSV', titles: { classification: 'Classification', regression: 'Regression' },
    param: choice(TASKS, { default: 'classification', help: 'Classes to tell apart, or a number to predict' }),
  },
} as const satisfies Record<string, DatasetFieldDecl>;

export type DatasetFieldName = keyof typeof DATASET_FIELDS;
