/** Classic convolutional networks: LeNet-5, the Keras MNIST convnet and a small VGG. */
import type { GraphDocument } from '@/graph-compiler';
import { sequential, withTraining } from './build';

/**
 * LeNet-5 (LeCun et al. 1998): 61,706 parameters. The paper fed 28×28 MNIST digits padded to
 * 32×32; the padding layer does that here, so the template trains on MNIST as it is.
 */
export const lenet5: GraphDocument = withTraining({ dataset: 'mnist', epochs: 3 }, 'LeNet-5', [
  ['input', 'Input', { shape: [28, 28, 1] }],
  ['pad', 'ZeroPadding2D', { padding: 2 }],
  ['c1', 'Conv2D', { filters: 6, kernelSize: 5, activation: 'tanh' }],
  ['s2', 'AveragePooling2D', { poolSize: 2 }],
  ['c3', 'Conv2D', { filters: 16, kernelSize: 5, activation: 'tanh' }],
  ['s4', 'AveragePooling2D', { poolSize: 2 }],
  ['flatten', 'Flatten'],
  ['f5', 'Dense', { units: 120, activation: 'tanh' }],
  ['f6', 'Dense', { units: 84, activation: 'tanh' }],
  ['output', 'Dense', { units: 10, activation: 'softmax' }],
]);

/** The "Simple MNIST convnet" of the Keras examples: 34,826 parameters. */
export const mnistConvnet: GraphDocument = withTraining({ dataset: 'mnist', epochs: 3, learningRate: 0.003 }, 'Keras MNIST convnet', [
  ['input', 'Input', { shape: [28, 28, 1] }],
  ['conv2d_1', 'Conv2D', { filters: 32, kernelSize: 3, activation: 'relu' }],
  ['max_pooling2d_1', 'MaxPooling2D', { poolSize: 2 }],
  ['conv2d_2', 'Conv2D', { filters: 64, kernelSize: 3, activation: 'relu' }],
  ['max_pooling2d_2', 'MaxPooling2D', { poolSize: 2 }],
  ['flatten', 'Flatten'],
  ['dropout', 'Dropout', { rate: 0.5 }],
  ['output', 'Dense', { units: 10, activation: 'softmax' }],
]);

/** Three VGG blocks (two 3×3 convolutions, then 2×2 max pooling) on 32×32 colour images. */
export const vggSmall = sequential('Small VGG', [
  ['input', 'Input', { shape: [32, 32, 3] }],
  ['block1_conv1', 'Conv2D', { filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }],
  ['block1_conv2', 'Conv2D', { filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }],
  ['block1_pool', 'MaxPooling2D', { poolSize: 2 }],
  ['block2_conv1', 'Conv2D', { filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }],
  ['block2_conv2', 'Conv2D', { filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }],
  ['block2_pool', 'MaxPooling2D', { poolSize: 2 }],
  ['block3_conv1', 'Conv2D', { filters: 128, kernelSize: 3, padding: 'same', activation: 'relu' }],
  ['block3_conv2', 'Conv2D', { filters: 128, kernelSize: 3, padding: 'same', activation: 'relu' }],
  ['block3_pool', 'MaxPooling2D', { poolSize: 2 }],
  ['flatten', 'Flatten'],
  ['fc', 'Dense', { units: 256, activation: 'relu' }],
  ['dropout', 'Dropout', { rate: 0.5 }],
  ['output', 'Dense', { units: 10, activation: 'softmax' }],
]);
