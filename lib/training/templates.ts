/**
 * Graph documents with a training block, ready to train: the lab page (/lab/training) opens
 * them, and the browser tests and the benchmark train them.
 */
import type { GraphDocument, TrainingBlock } from '@/graph-compiler';
import { spiralMlp } from '@/lib/templates/basic';

type NodeSpec = [id: string, type: string, params?: Record<string, unknown>];

function chain(name: string, nodes: NodeSpec[], training: TrainingBlock): GraphDocument {
  return {
    format: 'layerboard.graph',
    version: 1,
    name,
    nodes: nodes.map(([id, type, params]) => ({ id, type, params: params ?? {} })),
    edges: nodes.slice(1).map(([id], i) => ({ source: nodes[i][0], target: id })),
    training: training as Record<string, unknown>,
  };
}

/**
 * The Keras example `mnist_convnet` (34,826 params) on MNIST. Its layers are the example's;
 * its schedule is not: Keras trains 15 epochs on 54,000 digits (6,300 steps of 128), here 3
 * epochs on 7,200 digits are 675 steps of 32, and Adam at 0.003 instead of Keras's 0.001
 * makes up for the shorter run (test accuracy after 3 epochs in Chromium: 0.001 → 95.9%,
 * 0.002 → 96.8%, 0.003 → 97.0%, 0.005 → 97.1%).
 */
export const mnistConvnet = chain('Keras MNIST convnet', [
  ['input', 'Input', { shape: [28, 28, 1] }],
  ['conv1', 'Conv2D', { filters: 32, kernelSize: 3, activation: 'relu' }],
  ['pool1', 'MaxPooling2D', { poolSize: 2 }],
  ['conv2', 'Conv2D', { filters: 64, kernelSize: 3, activation: 'relu' }],
  ['pool2', 'MaxPooling2D', { poolSize: 2 }],
  ['flatten', 'Flatten'],
  ['dropout', 'Dropout', { rate: 0.5 }],
  ['output', 'Dense', { units: 10, activation: 'softmax' }],
], { dataset: 'mnist', optimizer: 'adam', learningRate: 0.003, batchSize: 32, epochs: 3, validationSplit: 0.1 });

/** A two-layer perceptron on MNIST. */
export const mnistMlp = chain('MNIST MLP', [
  ['input', 'Input', { shape: [28, 28, 1] }],
  ['flatten', 'Flatten'],
  ['hidden', 'Dense', { units: 128, activation: 'relu' }],
  ['dropout', 'Dropout', { rate: 0.2 }],
  ['output', 'Dense', { units: 10, activation: 'softmax' }],
], { dataset: 'mnist', epochs: 5 });

/** Two hidden relu layers that learn TensorFlow Playground's spiral: the editor's template. */
export { spiralMlp };

/** The Playground's default network on the circle: two small tanh layers, a softmax pair. */
export const playgroundNet = chain('Playground network', [
  ['input', 'Input', { shape: [2] }],
  ['hidden1', 'Dense', { units: 4, activation: 'tanh' }],
  ['hidden2', 'Dense', { units: 2, activation: 'tanh' }],
  ['output', 'Dense', { units: 2, activation: 'softmax' }],
], { dataset: 'circle', optimizer: 'adam', learningRate: 0.03, batchSize: 10, epochs: 30, validationSplit: 0 });

/** A small classifier for a CSV with four numeric features (e.g. iris) and three classes. */
export const tableMlp = chain('Table classifier', [
  ['input', 'Input', { shape: [4] }],
  ['hidden', 'Dense', { units: 16, activation: 'relu' }],
  ['output', 'Dense', { units: 3, activation: 'softmax' }],
], { dataset: 'csv', optimizer: 'adam', learningRate: 0.01, batchSize: 16, epochs: 60, validationSplit: 0.1 });

/** A small classifier for uploaded greyscale images of two classes, resized to 28×28. */
export const imagesMlp = chain('Two-class image classifier', [
  ['input', 'Input', { shape: [28, 28, 1] }],
  ['flatten', 'Flatten'],
  ['hidden', 'Dense', { units: 16, activation: 'relu' }],
  ['output', 'Dense', { units: 2, activation: 'softmax' }],
], { dataset: 'images', optimizer: 'adam', learningRate: 0.01, batchSize: 8, epochs: 10, validationSplit: 0 });

export interface LabTemplate {
  id: string;
  title: string;
  doc: GraphDocument;
}

export const LAB_TEMPLATES: readonly LabTemplate[] = [
  { id: 'mnist-convnet', title: 'Keras MNIST convnet', doc: mnistConvnet },
  { id: 'mnist-mlp', title: 'MNIST MLP', doc: mnistMlp },
  { id: 'spiral-mlp', title: 'Spiral MLP', doc: spiralMlp },
  { id: 'playground', title: 'Playground network (circle)', doc: playgroundNet },
  { id: 'table-mlp', title: 'Table classifier (CSV)', doc: tableMlp },
  { id: 'images-mlp', title: 'Two-class image classifier', doc: imagesMlp },
];

export function labTemplate(id: string | undefined): LabTemplate {
  return LAB_TEMPLATES.find((t) => t.id === id) ?? LAB_TEMPLATES[0];
}
