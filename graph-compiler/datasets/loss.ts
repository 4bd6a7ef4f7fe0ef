/**
 * The one rule for which loss a run uses and how labels become targets, shared by the browser
 * run, the run checks and the Keras export, so that an exported script trains with exactly the
 * loss and metrics the browser does. `auto` picks the loss from the task and the output layer,
 * as a textbook would: several units → categorical cross-entropy, one unit → binary
 * cross-entropy, regression → mean squared error; a step output (the perceptron), whose 0/1
 * outputs are not probabilities, → mean squared error, the fraction of examples it gets wrong. A combination the rule refuses (cross-entropy
 * on outputs that are not probabilities, on a regression) is refused everywhere: the checks
 * report it and the export throws with the same message.
 */
import { layerByType } from '../layers';
import type { Loss } from '../training';
import type { CompileResult } from '../types';
import type { Task } from './types';

export type LossName = Exclude<Loss, 'auto'>;

export const LOSS_TITLES: Record<LossName, string> = {
  categoricalCrossentropy: 'Categorical cross-entropy',
  sparseCategoricalCrossentropy: 'Sparse categorical cross-entropy',
  binaryCrossentropy: 'Binary cross-entropy',
  meanSquaredError: 'Mean squared error',
  meanAbsoluteError: 'Mean absolute error',
};

/** How a label becomes the model's target for one example. */
export type TargetEncoding =
  /** A vector with a 1 at the class index (units = classes). */
  | 'onehot'
  /** The class index itself, shape [1] (sparse categorical cross-entropy). */
  | 'index'
  /** The class (0 or 1) as one number, for a single output unit. */
  | 'binary'
  /** The regression target, shape [1]. */
  | 'value';

/** What the training checks need to know about the model's output. */
export interface OutputInfo {
  nodeId: string;
  name: string;
  type: string;
  shape: number[];
  /** Units of the last axis. */
  units: number;
  /** The last activation applied before the output (through layers that keep it: Dropout, Flatten, Reshape). */
  activation: string;
}

/** The model's single output, or null when there is not exactly one with a known shape. */
export function outputInfo(result: CompileResult): OutputInfo | null {
  if (result.outputs.length !== 1) return null;
  const node = result.nodes[result.outputs[0]];
  if (!node?.outputShape) return null;
  let activation = 'linear';
  let cur: typeof node | undefined = node;
  while (cur) {
    const spec = layerByType(cur.type);
    const act = cur.params ? spec?.activationOf?.(cur.params) : undefined;
    if (act !== undefined) {
      activation = act;
      break;
    }
    if (spec?.keepsActivation !== true || cur.inputIds.length !== 1) break;
    cur = result.nodes[cur.inputIds[0]];
  }
  const shape = node.outputShape;
  return { nodeId: node.id, name: node.name, type: node.type, shape, units: shape[shape.length - 1], activation };
}

/** The loss `auto` stands for, given the task and the output layer. */
export function autoLoss(task: Task, out: (Pick<OutputInfo, 'units'> & { activation?: string }) | null): LossName {
  if (task === 'regression' || out?.activation === 'step') return 'meanSquaredError';
  return out?.units === 1 ? 'binaryCrossentropy' : 'categoricalCrossentropy';
}

/** The loss a run uses: the one chosen, or the automatic one. */
export function resolveLoss(chosen: Loss, task: Task, out: (Pick<OutputInfo, 'units'> & { activation?: string }) | null): LossName {
  return chosen === 'auto' ? autoLoss(task, out) : chosen;
}

/** How labels are encoded for this loss and output. */
export function targetEncoding(loss: LossName, task: Task, units: number): TargetEncoding {
  if (task === 'regression') return 'value';
  if (loss === 'sparseCategoricalCrossentropy') return 'index';
  return units === 1 ? 'binary' : 'onehot';
}

/** Target values per example for an encoding (units for one-hot, else 1). */
export function targetWidth(encoding: TargetEncoding, units: number): number {
  return encoding === 'onehot' ? units : 1;
}

/** The metrics a run reports besides the loss, by their tfjs names: accuracy on classes, none on a regression. */
export function trainingMetrics(task: Task): string[] {
  return task === 'classification' ? ['acc'] : [];
}

/** Loss names in Keras. */
export const KERAS_LOSSES: Record<LossName, string> = {
  categoricalCrossentropy: 'categorical_crossentropy',
  sparseCategoricalCrossentropy: 'sparse_categorical_crossentropy',
  binaryCrossentropy: 'binary_crossentropy',
  meanSquaredError: 'mean_squared_error',
  meanAbsoluteError: 'mean_absolute_error',
};

/** tfjs metric names in Keras. */
export const KERAS_METRICS: Record<string, string> = { acc: 'accuracy' };

/** Last activations whose outputs are probabilities in [0, 1]. */
const PROBABILITIES = new Set(['softmax', 'sigmoid']);

export const LOSS_CHECK_CODES = {
  'loss-task': { severity: 'error', meaning: 'A cross-entropy loss was chosen for a regression task.' },
  'loss-activation': { severity: 'error', meaning: 'Cross-entropy needs probabilities, but the last activation does not give values in [0, 1].' },
  'loss-activation-mismatch': { severity: 'warning', meaning: 'The loss and the last activation belong to different set-ups (softmax vs sigmoid).' },
  'loss-classification-mse': { severity: 'warning', meaning: 'A regression loss on classes: it trains, but cross-entropy learns faster.' },
  'regression-activation': { severity: 'warning', meaning: 'The output activation limits the values a regression can predict.' },
} as const;

export type LossCheckCode = keyof typeof LOSS_CHECK_CODES;

export interface LossProblem {
  code: LossCheckCode;
  message: string;
  nodeId?: string;
  param?: string;
}

const title = (o: { type: string; name: string }) => `${o.type} "${o.name}"`;

/** What is wrong with training `out` with `loss` on a task; `data` names the data set in messages. */
export function lossProblems(loss: LossName, task: Task, out: OutputInfo, data: string): LossProblem[] {
  const ps: LossProblem[] = [];
  const act = out.activation;
  const crossEntropy = loss.endsWith('Crossentropy');
  if (task === 'regression' && crossEntropy) {
    ps.push({ code: 'loss-task', message: `${LOSS_TITLES[loss]} compares class probabilities, but ${data} is a regression: use mean squared error (or "auto").`, param: 'loss' });
  } else if (crossEntropy && !PROBABILITIES.has(act)) {
    const want = out.units === 1 || loss === 'binaryCrossentropy' ? 'sigmoid' : 'softmax';
    ps.push({ code: 'loss-activation', message: `${LOSS_TITLES[loss]} needs probabilities, but ${title(out)} ends with ${act}, whose outputs are not in [0, 1]: set its activation to ${want}.`, nodeId: out.nodeId, param: 'activation' });
  } else if (crossEntropy && loss === 'binaryCrossentropy' && act === 'softmax' && out.units > 1) {
    ps.push({ code: 'loss-activation-mismatch', message: `Binary cross-entropy scores each unit on its own, but ${title(out)} ends with softmax, which shares one probability over all units: use categorical cross-entropy (or "auto").`, nodeId: out.nodeId, param: 'activation' });
  } else if (crossEntropy && loss !== 'binaryCrossentropy' && act === 'sigmoid' && out.units > 1) {
    ps.push({ code: 'loss-activation-mismatch', message: `${LOSS_TITLES[loss]} expects the units to share one probability (softmax), but ${title(out)} ends with sigmoid: use softmax for one class per example.`, nodeId: out.nodeId, param: 'activation' });
  }
  if (task === 'classification' && !crossEntropy && act !== 'step') {
    ps.push({ code: 'loss-classification-mse', message: `${LOSS_TITLES[loss]} on classes trains, but cross-entropy usually learns faster: choose "auto" unless you are comparing losses.`, param: 'loss' });
  }
  if (task === 'regression' && act !== 'linear') {
    ps.push({ code: 'regression-activation', message: `${title(out)} ends with ${act}, which limits the values it can predict; targets are standardised (about −3 to 3): a regression output is usually linear.`, nodeId: out.nodeId, param: 'activation' });
  }
  return ps;
}

/** The whole training set-up of a run's loss: what the browser compiles its model with. */
export interface LossPlan {
  loss: LossName;
  encoding: TargetEncoding;
  /** tfjs metric names (see `trainingMetrics`). */
  metrics: string[];
  problems: LossProblem[];
  /** The first error among `problems`: the browser will not train, and the export refuses too. */
  refusal: LossProblem | null;
}

/** The loss, target encoding, metrics and problems of training `out` on a task with a chosen loss. */
export function planLoss(chosen: Loss, task: Task, out: OutputInfo, data: string): LossPlan {
  const loss = resolveLoss(chosen, task, out);
  const problems = lossProblems(loss, task, out, data);
  const refusal = problems.find((p) => LOSS_CHECK_CODES[p.code].severity === 'error') ?? null;
  return { loss, encoding: targetEncoding(loss, task, out.units), metrics: trainingMetrics(task), problems, refusal };
}
