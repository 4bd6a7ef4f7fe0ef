/**
 * The templates offered by the editor's New menu: version-1 graph documents without positions.
 * Every one compiles without errors (see __tests__/lib/templates.test.ts).
 */
import type { GraphDocument } from '@/graph-compiler';
import { emptyDocument } from '../graph';
import { maxoutMlp, mlp, perceptron, playgroundCircle, spiralMlp } from './basic';
import { lenet5, mnistConvnet, vggSmall } from './convnets';
import { mobilenetSmall, resnetBlocks } from './modern';
import { overfittingLab } from './overfitting';
import { gruText, lstmMnist } from './sequences';
import { squeezeExcitation, unetAutoencoder } from './vision';

export interface Template {
  id: string;
  title: string;
  /** One line for the menu. */
  description: string;
  doc: GraphDocument;
}

export const TEMPLATES: readonly Template[] = [
  { id: 'blank', title: 'New blank', description: 'An empty canvas', doc: emptyDocument() },
  { id: 'perceptron', title: 'Perceptron', description: 'One Dense unit with a step activation on 2-D points', doc: perceptron },
  {
    id: 'playground-circle',
    title: 'Playground circle',
    description: 'A 2-8-8-1 tanh network on the circle, as TensorFlow Playground draws it: every neuron and weight, live while it trains',
    doc: playgroundCircle,
  },
  { id: 'mlp', title: 'MLP', description: 'Two hidden Dense layers for MNIST digits', doc: mlp },
  { id: 'spiral-mlp', title: 'Spiral MLP', description: 'Two hidden relu layers that learn the Playground spiral in the browser', doc: spiralMlp },
  {
    id: 'overfitting-lab',
    title: 'Overfitting lab',
    description: '64 + 64 relu units for 60 noisy points: train, then add Dropout 0.5 / L2 / early stopping / fewer units and train again: compare the runs',
    doc: overfittingLab,
  },
  { id: 'lenet5', title: 'LeNet-5', description: 'LeCun 1998: MNIST padded to 32×32, conv, average pool, conv, pool, 3 Dense · 61,706 params', doc: lenet5 },
  { id: 'mnist-convnet', title: 'Keras MNIST convnet', description: 'Two conv + max-pool stages, dropout, softmax · 34,826 params', doc: mnistConvnet },
  { id: 'vgg-small', title: 'Small VGG', description: 'Three blocks of two 3×3 convolutions and max pooling', doc: vggSmall },
  { id: 'resnet-blocks', title: 'ResNet blocks', description: 'Residual blocks with Add skip connections and batch norm', doc: resnetBlocks },
  { id: 'mobilenet', title: 'MobileNet-style', description: 'Depthwise separable convolutions with relu6', doc: mobilenetSmall },
  { id: 'maxout-mlp', title: 'Maxout MLP', description: 'Two maxout layers of 240 units × 5 pieces', doc: maxoutMlp },
  { id: 'lstm-mnist', title: 'LSTM on MNIST rows', description: 'An LSTM reads each digit row by row (28 steps of 28 pixels) · 24,458 params', doc: lstmMnist },
  { id: 'gru-text', title: 'GRU text classifier', description: 'Token ids → Embedding → GRU → one probability (design only) · 326,273 params', doc: gruText },
  { id: 'unet-autoencoder', title: 'U-Net autoencoder', description: 'MNIST in, MNIST out: conv + pool down to 7×7, Conv2DTranspose and UpSampling2D back up, Concatenate skips · 67,169 params', doc: unetAutoencoder },
  { id: 'squeeze-excitation', title: 'Squeeze-and-excitation', description: 'Hu 2018: pool, Dense 64/16 relu, Dense 64 sigmoid, Multiply gates the channels · 3,022 params', doc: squeezeExcitation },
];

/** The template with this id. */
export function templateById(id: string): Template | undefined {
  return TEMPLATES.find((t) => t.id === id);
}
