/**
 * The data set and the graph, checked together before a run, as diagnostics in the
 * compiler's style (stable code, the node at fault, a message a student understands, the
 * numbers). Training cannot start while one of them is an error.
 */
import { fmtShape, size, type CompileResult, type Diagnostic, type Severity, type TrainingSettings } from '@/graph-compiler';
import type { DatasetInfo, Task } from '@/lib/datasets/types';
import { LOSS_TITLES, outputInfo, resolveLoss, targetEncoding, type LossName, type OutputInfo, type TargetEncoding } from './loss';
import { estimateMemory, type MemoryEstimate } from './memory';

/** Every diagnostic of the run check: its code, severity and meaning. */
export const RUN_DIAGNOSTIC_CODES = {
  'run-graph-errors': { severity: 'error', meaning: 'The graph (or its training block) has errors, so it cannot become a model.' },
  'run-io': { severity: 'error', meaning: 'Training needs exactly one Input and one output.' },
  'data-missing': { severity: 'error', meaning: 'The data set needs a file that has not been chosen yet.' },
  'data-input-shape': { severity: 'error', meaning: "The Input's shape does not match the data set's examples." },
  'data-output-shape': { severity: 'error', meaning: 'The output is not a flat vector of scores, one per class (or a single number).' },
  'data-output-units': { severity: 'error', meaning: "The output's units do not match the number of classes (or targets)." },
  'loss-task': { severity: 'error', meaning: 'A cross-entropy loss was chosen for a regression task.' },
  'loss-activation': { severity: 'error', meaning: 'Cross-entropy needs probabilities, but the last activation does not give values in [0, 1].' },
  'loss-activation-mismatch': { severity: 'warning', meaning: 'The loss and the last activation belong to different set-ups (softmax vs sigmoid).' },
  'loss-classification-mse': { severity: 'warning', meaning: 'A regression loss on classes: it trains, but cross-entropy learns faster.' },
  'regression-activation': { severity: 'warning', meaning: 'The output activation limits the values a regression can predict.' },
  'early-stopping-validation': { severity: 'error', meaning: 'Early stopping watches a validation metric, but the validation split is 0.' },
  'split-empty': { severity: 'error', meaning: 'The validation split leaves no examples to train on or none to validate with.' },
  'batch-size-large': { severity: 'warning', meaning: 'The batch size is larger than the training set: one batch per epoch.' },
  'memory-budget': { severity: 'warning', meaning: 'The estimated memory of the run is above the budget.' },
} as const satisfies Record<string, { severity: Severity; meaning: string }>;

export type RunDiagnosticCode = keyof typeof RUN_DIAGNOSTIC_CODES;

function rdiag(code: RunDiagnosticCode, message: string, nodeId?: string, param?: string): Diagnostic {
  const d: Diagnostic = { severity: RUN_DIAGNOSTIC_CODES[code].severity, code, message };
  if (nodeId !== undefined) d.nodeId = nodeId;
  if (param !== undefined) d.param = param;
  return d;
}

/** Last activations whose outputs are probabilities in [0, 1]. */
const PROBABILITIES = new Set(['softmax', 'sigmoid']);

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
}

export interface RunCheck {
  diagnostics: Diagnostic[];
  /** Null while anything is an error. */
  plan: RunPlan | null;
  /** The loss `auto` resolves to (or the chosen one), when the output is known. */
  loss: LossName | null;
}

const title = (o: { type: string; name: string }) => `${o.type} "${o.name}"`;

/**
 * Checks a compiled graph against a data set and the training settings. `info` is null when
 * the data set needs an upload that has not happened; `trainCount` is the size of the data
 * set's training split when known.
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
  if (!info) {
    ds.push(rdiag('data-missing', settings.dataset === 'images'
      ? 'Choose a folder of images (one sub-folder per class) to train on.'
      : 'Choose a CSV file to train on.', undefined, 'dataset'));
  }
  const out = result.ok ? outputInfo(result) : null;
  const task: Task = info?.task ?? (settings.dataset === 'csv' ? settings.task : 'classification');
  const loss = out ? resolveLoss(settings.loss, task, out) : null;

  const inputId = result.inputs[0];
  const inputShape = inputId ? result.nodes[inputId]?.outputShape ?? null : null;
  if (info && inputShape && result.inputs.length === 1) {
    const want = info.featureShape;
    if (size(inputShape) !== size(want)) {
      const node = result.nodes[inputId];
      ds.push(rdiag('data-input-shape',
        `${title(node)} has shape ${fmtShape(inputShape)} (${size(inputShape)} values), but each example of ${info.title} is ${fmtShape(want)} (${size(want)} values): set the Input's shape to ${fmtShape(want)}.`,
        inputId, 'shape'));
    }
  }

  if (info && out && result.outputs.length === 1) {
    const classes = info.classNames.length;
    if (out.shape.length !== 1) {
      ds.push(rdiag('data-output-shape',
        `${title(out)} outputs ${fmtShape(out.shape)}, but ${task === 'classification' ? `${info.title} needs one score per class, a shape of [${classes}]` : 'a regression needs a single number, [1]'}: add a Flatten and a Dense layer at the end.`,
        out.nodeId));
    } else if (task === 'regression') {
      if (out.units !== 1) {
        ds.push(rdiag('data-output-units', `${title(out)} has ${out.units} units, but ${info.title} has one number to predict: give it 1 unit.`, out.nodeId, 'units'));
      }
    } else if (loss && targetEncoding(loss, task, out.units) === 'binary') {
      if (classes !== 2) {
        ds.push(rdiag('data-output-units',
          `${title(out)} has 1 unit, which can only tell 2 classes apart, but ${info.title} has ${classes}: give it ${classes} units with softmax.`, out.nodeId, 'units'));
      }
    } else if (out.units !== classes) {
      const alt = classes === 2 ? ' (or 1 unit with sigmoid)' : '';
      ds.push(rdiag('data-output-units',
        `${title(out)} has ${out.units} units, but ${info.title} has ${classes} classes: give it ${classes} units${alt}, one score per class.`, out.nodeId, 'units'));
    }
  }

  if (out && loss) {
    const act = out.activation;
    const crossEntropy = loss.endsWith('Crossentropy');
    if (task === 'regression' && crossEntropy) {
      ds.push(rdiag('loss-task', `${LOSS_TITLES[loss]} compares class probabilities, but ${info?.title ?? 'this data set'} is a regression: use mean squared error (or "auto").`, undefined, 'loss'));
    } else if (crossEntropy && !PROBABILITIES.has(act)) {
      const want = out.units === 1 || loss === 'binaryCrossentropy' ? 'sigmoid' : 'softmax';
      ds.push(rdiag('loss-activation',
        `${LOSS_TITLES[loss]} needs probabilities, but ${title(out)} ends with ${act}, whose outputs are not in [0, 1]: set its activation to ${want}.`, out.nodeId, 'activation'));
    } else if (crossEntropy && loss === 'binaryCrossentropy' && act === 'softmax' && out.units > 1) {
      ds.push(rdiag('loss-activation-mismatch',
        `Binary cross-entropy scores each unit on its own, but ${title(out)} ends with softmax, which shares one probability over all units: use categorical cross-entropy (or "auto").`, out.nodeId, 'activation'));
    } else if (crossEntropy && loss !== 'binaryCrossentropy' && act === 'sigmoid' && out.units > 1) {
      ds.push(rdiag('loss-activation-mismatch',
        `${LOSS_TITLES[loss]} expects the units to share one probability (softmax), but ${title(out)} ends with sigmoid: use softmax for one class per example.`, out.nodeId, 'activation'));
    }
    if (task === 'classification' && !crossEntropy) {
      ds.push(rdiag('loss-classification-mse', `${LOSS_TITLES[loss]} on classes trains, but cross-entropy usually learns faster: choose "auto" unless you are comparing losses.`, undefined, 'loss'));
    }
    if (task === 'regression' && act !== 'linear') {
      ds.push(rdiag('regression-activation',
        `${title(out)} ends with ${act}, which limits the values it can predict; targets are standardised (about −3 to 3): a regression output is usually linear.`, out.nodeId, 'activation'));
    }
  }

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
    : { loss, encoding: targetEncoding(loss, task, out.units), output: out, inputId, inputShape, task, memory, trainExamples, validationExamples };
  return { diagnostics: ds, plan, loss };
}
