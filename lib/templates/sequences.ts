/** Recurrent networks: an LSTM that reads MNIST digits row by row, and a small text classifier. */
import type { GraphDocument } from '@/graph-compiler';
import { chainEdges, graph } from './build';

/**
 * An MNIST digit as a sequence of 28 rows of 28 pixels: the LSTM reads one row per step and its
 * last state is classified. 4·(64·(28 + 64) + 64) + 64·10 + 10 = 24,458 params. Its recurrent
 * weights start Glorot-uniform: tfjs takes seconds to draw 64 units' orthogonal start, which
 * would stall the first run in the browser.
 */
export const lstmMnist: GraphDocument = {
  ...graph('LSTM on MNIST rows', [
    ['input', 'Input', { shape: [28, 28] }],
    ['lstm', 'LSTM', { units: 64, recurrentInitializer: 'glorotUniform' }],
    ['output', 'Dense', { units: 10, activation: 'softmax' }],
  ], chainEdges('input', 'lstm', 'output')),
  training: { dataset: 'mnist', epochs: 3, learningRate: 0.003 },
};

/**
 * A text classifier's shape: 100 token ids from a vocabulary of 10,000, embedded, read by a GRU,
 * one probability out (design only: there is no text data set to train it on here).
 */
export const gruText: GraphDocument = graph('GRU text classifier', [
  ['tokens', 'Input', { shape: [100] }],
  ['embedding', 'Embedding', { inputDim: 10000, outputDim: 32 }],
  ['gru', 'GRU', { units: 32 }],
  ['output', 'Dense', { units: 1, activation: 'sigmoid' }],
], chainEdges('tokens', 'embedding', 'gru', 'output'));
