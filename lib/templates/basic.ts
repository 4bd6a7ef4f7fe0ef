/** Small dense networks: the perceptron, a multilayer perceptron and a maxout MLP. */
import type { GraphDocument } from '@/graph-compiler';
import { withTraining } from './build';

/**
 * Rosenblatt's perceptron: one Dense unit with a step activation on a point of the plane,
 * trained by the perceptron learning rule (the run check chooses it) on two Gaussians kept
 * apart (noise 0), which a straight line separates whatever the seed.
 */
export const perceptron: GraphDocument = withTraining({ dataset: 'gaussian', noise: 0, learningRate: 0.1, epochs: 20 }, 'Perceptron', [
  ['input', 'Input', { shape: [2] }],
  ['perceptron', 'Dense', { units: 1, activation: 'step' }],
]);

/**
 * TensorFlow Playground's picture, for the neuron view: two hidden tanh layers of 8 units on the
 * circle (500 points, half for training, batch 10), small enough that every neuron and weight is
 * drawn, trained by plain SGD so that the step-through's update is the optimizer's own. Every
 * test point in 40 epochs for seeds 1 to 5 and 42 (__tests__/training/playground-template.test.ts).
 */
export const playgroundCircle: GraphDocument = withTraining(
  { dataset: 'circle', samples: 500, noise: 0, trainRatio: 0.5, optimizer: 'sgd', learningRate: 0.3, batchSize: 10, epochs: 40, validationSplit: 0 },
  'Playground circle',
  [
    ['input', 'Input', { shape: [2] }],
    ['hidden1', 'Dense', { units: 8, activation: 'tanh' }],
    ['hidden2', 'Dense', { units: 8, activation: 'tanh' }],
    ['output', 'Dense', { units: 1, activation: 'sigmoid' }],
  ],
);

/** A multilayer perceptron for MNIST digits. */
export const mlp: GraphDocument = withTraining({ dataset: 'mnist', epochs: 3 }, 'MLP', [
  ['input', 'Input', { shape: [28, 28, 1] }],
  ['flatten', 'Flatten'],
  ['dense_1', 'Dense', { units: 128, activation: 'relu' }],
  ['dropout', 'Dropout', { rate: 0.2 }],
  ['dense_2', 'Dense', { units: 64, activation: 'relu' }],
  ['output', 'Dense', { units: 10, activation: 'softmax' }],
]);

/** Goodfellow et al.'s maxout network for MNIST: two maxout layers of 240 units × 5 pieces. */
export const maxoutMlp: GraphDocument = withTraining({ dataset: 'mnist', epochs: 3 }, 'Maxout MLP', [
  ['input', 'Input', { shape: [28, 28, 1] }],
  ['flatten', 'Flatten'],
  ['maxout_1', 'Maxout', { units: 240, pieces: 5 }],
  ['dropout_1', 'Dropout', { rate: 0.5 }],
  ['maxout_2', 'Maxout', { units: 240, pieces: 5 }],
  ['dropout_2', 'Dropout', { rate: 0.5 }],
  ['output', 'Dense', { units: 10, activation: 'softmax' }],
]);

/** TensorFlow Playground's spiral, learned by two hidden relu layers (about 98% on held-out points). */
export const spiralMlp: GraphDocument = withTraining(
  { dataset: 'spiral', noise: 0, trainRatio: 0.7, optimizer: 'adam', learningRate: 0.02, batchSize: 64, epochs: 40, validationSplit: 0.1 },
  'Spiral MLP',
  [
    ['input', 'Input', { shape: [2] }],
    ['hidden1', 'Dense', { units: 64, activation: 'relu' }],
    ['hidden2', 'Dense', { units: 64, activation: 'relu' }],
    ['output', 'Dense', { units: 1, activation: 'sigmoid' }],
  ],
);
