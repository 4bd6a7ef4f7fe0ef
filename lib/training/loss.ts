/**
 * Which loss a run uses and how labels become targets. `auto` picks the loss from the task and
 * the output layer, as a textbook would: softmax over classes → categorical cross-entropy, one
 * sigmoid unit → binary cross-entropy, regression → mean squared error.
 */
import { layerByType, type CompileResult, type Loss } from '@/graph-compiler';
import type { Task } from '@/lib/datasets/types';

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
  /** The last activation applied before the output (through Dropout, Flatten, Reshape). */
  activation: string;
}

const PASS_THROUGH = new Set(['Dropout', 'Flatten', 'Reshape']);

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
    if (!PASS_THROUGH.has(cur.type) || cur.inputIds.length !== 1) break;
    cur = result.nodes[cur.inputIds[0]];
  }
  const shape = node.outputShape;
  return { nodeId: node.id, name: node.name, type: node.type, shape, units: shape[shape.length - 1], activation };
}

/** The loss `auto` stands for, given the task and the output layer. */
export function autoLoss(task: Task, out: Pick<OutputInfo, 'units'> | null): LossName {
  if (task === 'regression') return 'meanSquaredError';
  return out?.units === 1 ? 'binaryCrossentropy' : 'categoricalCrossentropy';
}

/** The loss a run uses: the one chosen, or the automatic one. */
export function resolveLoss(chosen: Loss, task: Task, out: Pick<OutputInfo, 'units'> | null): LossName {
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
