/**
 * Image-to-image and attention designs: a U-Net-style autoencoder and a squeeze-and-excitation
 * block. Design templates: the browser trains classifiers on labels, so they come without a
 * training block.
 */
import { chainEdges, graph } from './build';

const conv = (filters: number, kernelSize = 3, activation = 'relu'): Record<string, unknown> =>
  ({ filters, kernelSize, padding: 'same', activation });

/**
 * A small U-Net (Ronneberger et al., 2015) on 28×28 MNIST digits: two conv + max-pool stages
 * down to 7×7, then back up, once by a learned Conv2DTranspose and once by UpSampling2D, each
 * joined by Concatenate with the encoder features of the same size (the skip connections).
 * A 1×1 sigmoid convolution gives one value in [0, 1] per pixel: [28, 28, 1].
 */
export const unetAutoencoder = graph('U-Net autoencoder', [
  ['input', 'Input', { shape: [28, 28, 1] }],
  ['enc1_conv', 'Conv2D', conv(16)],
  ['enc1_pool', 'MaxPooling2D'],
  ['enc2_conv', 'Conv2D', conv(32)],
  ['enc2_pool', 'MaxPooling2D'],
  ['bottleneck', 'Conv2D', conv(64)],
  ['dec2_up', 'Conv2DTranspose', { filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }],
  ['dec2_skip', 'Concatenate'],
  ['dec2_conv', 'Conv2D', conv(32)],
  ['dec1_up', 'UpSampling2D', { size: 2 }],
  ['dec1_skip', 'Concatenate'],
  ['dec1_conv', 'Conv2D', conv(16)],
  ['output', 'Conv2D', conv(1, 1, 'sigmoid')],
], [
  ...chainEdges('input', 'enc1_conv', 'enc1_pool', 'enc2_conv', 'enc2_pool', 'bottleneck', 'dec2_up', 'dec2_skip'),
  ['enc2_conv', 'dec2_skip'],
  ...chainEdges('dec2_skip', 'dec2_conv', 'dec1_up', 'dec1_skip'),
  ['enc1_conv', 'dec1_skip'],
  ...chainEdges('dec1_skip', 'dec1_conv', 'output'),
]);

/** Channels of the squeeze-and-excitation block, and its reduction ratio (16 in the paper). */
const SE_CHANNELS = 64;
const SE_RATIO = 16;

/**
 * A squeeze-and-excitation block (Hu et al., 2018) on 32×32 colour images: global average
 * pooling squeezes each channel to one number, two Dense layers (c/r with relu, then c with
 * sigmoid) turn them into a weight per channel, and Multiply scales the feature map by them,
 * broadcast over every pixel ([32, 32, 64] × [1, 1, 64]). A pooled softmax head classifies.
 */
export const squeezeExcitation = graph('Squeeze-and-excitation', [
  ['input', 'Input', { shape: [32, 32, 3] }],
  ['conv', 'Conv2D', conv(SE_CHANNELS)],
  ['se_squeeze', 'GlobalAveragePooling2D'],
  ['se_reduce', 'Dense', { units: SE_CHANNELS / SE_RATIO, activation: 'relu' }],
  ['se_expand', 'Dense', { units: SE_CHANNELS, activation: 'sigmoid' }],
  ['se_reshape', 'Reshape', { targetShape: [1, 1, SE_CHANNELS] }],
  ['se_scale', 'Multiply'],
  ['pool', 'GlobalAveragePooling2D'],
  ['output', 'Dense', { units: 10, activation: 'softmax' }],
], [
  ...chainEdges('input', 'conv', 'se_squeeze', 'se_reduce', 'se_expand', 'se_reshape'),
  ['conv', 'se_scale'],
  ['se_reshape', 'se_scale'],
  ...chainEdges('se_scale', 'pool', 'output'),
]);
