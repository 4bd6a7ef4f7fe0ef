/** The overfitting lab: a network with far too much capacity for a small, noisy 2-D set. */
import type { GraphDocument } from '@/graph-compiler';
import { withTraining } from './build';

/**
 * Two relu layers of 64 units (4,417 weights) for 60 training points of the Playground circle at
 * 50% noise, 40 more held out for validation: the training loss keeps falling while the
 * validation loss bottoms out within the first ten epochs and then climbs (measured in
 * __tests__/training/overfitting.test.ts). Each cure of the course (Dropout 0.5, L2, early
 * stopping, fewer units) closes the gap it leaves.
 */
export const overfittingLab: GraphDocument = withTraining(
  { dataset: 'circle', samples: 200, trainRatio: 0.5, noise: 0.5, validationSplit: 0.4, optimizer: 'adam', learningRate: 0.03, batchSize: 16, epochs: 150, seed: 7 },
  'Overfitting lab',
  [
    ['input', 'Input', { shape: [2] }],
    ['dense_1', 'Dense', { units: 64, activation: 'relu' }],
    ['dense_2', 'Dense', { units: 64, activation: 'relu' }],
    ['output', 'Dense', { units: 1, activation: 'sigmoid' }],
  ],
);
