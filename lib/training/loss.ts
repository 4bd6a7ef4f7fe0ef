/**
 * Which loss a run uses and how labels become targets: the one rule the compiler holds
 * (`graph-compiler/datasets/loss.ts`), shared with the run checks and the Keras export.
 */
export {
  LOSS_TITLES, autoLoss, outputInfo, planLoss, resolveLoss, targetEncoding, targetWidth, trainingMetrics,
  type LossName, type LossPlan, type OutputInfo, type TargetEncoding,
} from '@/graph-compiler/datasets/loss';
