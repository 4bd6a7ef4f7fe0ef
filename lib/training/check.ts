/**
 * The data set and the graph, checked together before a run, as diagnostics in the
 * compiler's style (stable code, the node at fault, a message a student understands, the
 * numbers). Training cannot start while one of them is an error.
 */
import type { CompileResult, Diagnostic, Severity, TrainingSettings } from '@/graph-compiler';
import { checkDataFit, DATA_CHECK_CODES } from '@/graph-compiler/datasets/checks';
import type { DatasetInfo, Task } from '@/lib/datasets/types';
import type { LossName, OutputInfo, TargetEncoding } from './loss';
import { estimateMemory, type MemoryEstimate } from './memory';
import { perceptronOf, type TrainingRule } from './perceptron';

/** Every diagnostic of the run check: its code, severity and meaning. */
export const RUN_DIAGNOSTIC_CODES = {
  'run-graph-errors': { severity: 'error', meaning: 'The graph (or its training block) has errors, so it cannot become a model.' },
  'run-io': { severity: 'error', meaning: 'Training needs exactly one Input and one output.' },
  'too-many-layers': { severity: 'error', meaning: 'More layers than TensorFlow.js can build a model of (it overflows its stack at about 4,000).' },
  'data-missing': { severity: 'error', meaning: 'The data set needs a file that has not been chosen yet.' },
  ...DATA_CHECK_CODES,
  'early-stopping-validation': { severity: 'error', meaning: 'Early stopping watches a validation metric, but the validation split is 0.' },
  'split-empty': { severity: 'error', meaning: 'The validation split leaves no examples to train on or none to validate with.' },
  'batch-size-large': { severity: 'warning', meaning: 'The batch size is larger than the training set: one batch per epoch.' },
  'memory-budget': { severity: 'warning', meaning: 'The estimated memory of the run is above the budget.' },
} as const satisfies Record<string, { severity: Severity; meaning: string }>;

export type RunDiagnosticCode = keyof typeof RUN_DIAGNOSTIC_CODES;

/** Most layers a run builds: tfjs-layers overflows its stack building chains of about 4,000. */
export const MAX_TRAINABLE_LAYERS = 3000;

function rdiag(code: RunDiagnosticCode, message: string, nodeId?: string, param?: string): Diagnostic {
  const d: Diagnostic = { severity: RUN_DIAGNOSTIC_CODES[code].severity, code, message };
  if (nodeId !== undefined) d.nodeId = nodeId;
  if (param !== undefined) d.param = param;
  return d;
}

/** What a run will do, known once the checks pass. */
export interface RunPlan {
  loss: LossName;
  encoding: TargetEncoding;
  output: OutputInfo;
  inputId: string;
  /** The Input's shape; data of the same size is reshaped to it. */
  inputShape: number[];
  task: Task;
  memory: MemoryEstimate;
  trainExamples: number;
  validationExamples: number;
  /** Gradient descent with the optimizer, or the perceptron learning rule (`perceptron.ts`). */
  rule: TrainingRule;
}

export interface RunCheck {
  diagnostics: Diagnostic[];
  /** Null while anything is an error. */
  plan: RunPlan | null;
  /** The loss `auto` resolves to (or the chosen one), when the output is known. */
  loss: LossName | null;
  /** How the run will train: the perceptron rule for a single step unit on two classes. */
  rule: TrainingRule;
}

/**
 * Loss checks that do not apply to the perceptron rule: it trains on mistakes, not on a loss
 * (the run reports the mean squared error of its 0/1 outputs, the fraction it gets wrong).
 */
const NOT_FOR_PERCEPTRON = new Set(['loss-activation', 'loss-activation-mismatch', 'loss-classification-mse', 'data-output-units']);

/**
 * Checks a compiled graph against a data set and the training settings. `info` is null when
 * the data set needs an upload that has not happened; `trainCount` is the size of the data
 * set's training split when known. The data set's own checks and the loss rule are the
 * compiler's (`checkDataFit`), shared with the Keras export.
 */
export function checkRun(result: CompileResult, settings: TrainingSettings, info: DatasetInfo | null, trainCount?: number): RunCheck {
  const ds: Diagnostic[] = [];
  if (!result.ok) {
    const n = result.diagnostics.filter((d) => d.severity === 'error').length;
    ds.push(rdiag('run-graph-errors', `The graph has ${n} error${n === 1 ? '' : 's'} (marked on the canvas); fix ${n === 1 ? 'it' : 'them'} before training.`));
  }
  if (result.ok && (result.inputs.length !== 1 || result.outputs.length !== 1)) {
    ds.push(rdiag('run-io', `Training needs one Input and one output; this graph has ${result.inputs.length} input${result.inputs.length === 1 ? '' : 's'} and ${result.outputs.length} output${result.outputs.length === 1 ? '' : 's'}. Every layer without an outgoing edge is an output.`));
  }
  if (result.ok && result.order.length > MAX_TRAINABLE_LAYERS) {
    ds.push(rdiag('too-many-layers', `This graph has ${result.order.length.toLocaleString('en-US')} layers; TensorFlow.js cannot build a model of more than about 4,000 (it runs out of stack), so training is limited to ${MAX_TRAINABLE_LAYERS.toLocaleString('en-US')} layers. Export it for Keras to train it there.`));
  }
  if (!info) {
    ds.push(rdiag('data-missing', settings.dataset === 'images'
      ? 'Choose a folder of images (one sub-folder per class) to train on.'
      : 'Choose a CSV file to train on.', undefined, 'dataset'));
  }
  const fit = checkDataFit(result, settings, info);
  const { out, task } = fit;
  // A step unit has a zero gradient: a single one on two classes learns by the perceptron rule.
  const classes = info?.classNames.length ?? 2;
  const rule: TrainingRule = task === 'classification' && classes === 2 && perceptronOf(result) ? 'perceptron' : 'gradient';
  ds.push(...(rule === 'perceptron' ? fit.diagnostics.filter((d) => !NOT_FOR_PERCEPTRON.has(d.code)) : fit.diagnostics));
  const loss = rule === 'perceptron' ? 'meanSquaredError' : fit.loss?.loss ?? null;
  const encoding = rule === 'perceptron' ? 'binary' : fit.loss?.encoding;
  const inputId = result.inputs[0];
  const inputShape = inputId ? result.nodes[inputId]?.outputShape ?? null : null;

  const es = settings.earlyStopping;
  if (es.enabled && es.monitor.startsWith('val_') && settings.validationSplit === 0) {
    ds.push(rdiag('early-stopping-validation', `Early stopping watches ${es.monitor}, but the validation split is 0, so there is no validation data: set a validation split (e.g. 0.1) or watch "loss".`, undefined, 'earlyStopping'));
  }
  let trainExamples = trainCount ?? 0;
  let validationExamples = 0;
  if (trainCount !== undefined) {
    validationExamples = Math.floor(trainCount * settings.validationSplit);
    trainExamples = trainCount - validationExamples;
    if (trainExamples < 1 || (settings.validationSplit > 0 && validationExamples < 1)) {
      ds.push(rdiag('split-empty', `A validation split of ${settings.validationSplit} of ${trainCount} examples leaves ${trainExamples} to train on and ${validationExamples} to validate with; change the split.`, undefined, 'validationSplit'));
    } else if (settings.batchSize > trainExamples) {
      ds.push(rdiag('batch-size-large', `The batch size ${settings.batchSize} is larger than the ${trainExamples} training examples: every epoch is a single, smaller batch.`, undefined, 'batchSize'));
    }
  }

  const memory = estimateMemory(result.totals, settings.optimizer, settings.batchSize);
  if (result.ok && memory.overBudget) {
    ds.push(rdiag('memory-budget', `${memory.summary} That is more than most integrated GPUs give a web page: lower the batch size or make the model smaller.`, undefined, 'batchSize'));
  }

  const failed = ds.some((d) => d.severity === 'error');
  const plan: RunPlan | null = failed || !out || !loss || !inputShape || !info
    ? null
    : { loss, encoding: encoding!, output: out, inputId, inputShape, task, memory, trainExamples, validationExamples, rule };
  return { diagnostics: ds, plan, loss, rule };
}
