/**
 * A before-the-run estimate of the GPU memory a run takes, from the compiler's totals. It is an
 * order of magnitude, not an allocation plan: tfjs keeps every forward activation for the
 * backward pass, one gradient per activation and per weight, and the optimizer's slots.
 */
import { formatBytes, type Optimizer, type Totals } from '@/graph-compiler';

/** Above this, the panel warns before a run (integrated GPUs share a few GB with everything). */
export const MEMORY_BUDGET_BYTES = 1024 ** 3;

/** float32 slots each optimizer keeps per weight (tfjs 4.22). */
export const OPTIMIZER_SLOTS: Record<Optimizer, number> = {
  sgd: 0,
  momentum: 1,
  adam: 2,
  rmsprop: 2,
  adagrad: 1,
};

/** Examples evaluated at once for validation, test and predictions. */
export const EVAL_CHUNK = 256;

export interface MemoryEstimate {
  weights: number;
  optimizer: number;
  gradients: number;
  /** Forward activations kept for the backward pass, plus their gradients, for one batch. */
  activations: number;
  total: number;
  overBudget: boolean;
  /** One sentence for the panel. */
  summary: string;
}

export function estimateMemory(totals: Totals, optimizer: Optimizer, batchSize: number, budget = MEMORY_BUDGET_BYTES): MemoryEstimate {
  const weights = totals.weightBytes;
  const optimizerBytes = weights * OPTIMIZER_SLOTS[optimizer];
  const gradients = weights;
  const perExample = totals.activationBytes + totals.inputBytes;
  const activations = Math.max(2 * batchSize * perExample, EVAL_CHUNK * perExample);
  const total = weights + optimizerBytes + gradients + activations;
  const overBudget = total > budget;
  const summary = `About ${formatBytes(total)}: weights ${formatBytes(weights)}` +
    (optimizerBytes ? ` + optimizer ${formatBytes(optimizerBytes)}` : '') +
    ` + gradients ${formatBytes(gradients)} + activations ${formatBytes(activations)} for a batch of ${batchSize}.`;
  return { weights, optimizer: optimizerBytes, gradients, activations, total, overBudget, summary };
}
