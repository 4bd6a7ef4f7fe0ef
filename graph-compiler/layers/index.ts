/**
 * The layer registry: a plain list. Adding a layer type is adding its module and one line here.
 */
import type { AnyLayerSpec } from '../layer-spec';
import { activation } from './activation';
import { add } from './add';
import { averagePooling2d } from './average-pooling2d';
import { batchNormalization } from './batch-normalization';
import { concatenate } from './concatenate';
import { conv1d } from './conv1d';
import { conv2d } from './conv2d';
import { conv2dTranspose } from './conv2d-transpose';
import { dense } from './dense';
import { depthwiseConv2d } from './depthwise-conv2d';
import { dropout } from './dropout';
import { embedding } from './embedding';
import { flatten } from './flatten';
import { globalAveragePooling2d } from './global-average-pooling2d';
import { globalMaxPooling2d } from './global-max-pooling2d';
import { gru } from './gru';
import { input } from './input';
import { layerNormalization } from './layer-normalization';
import { lstm } from './lstm';
import { maxPooling2d } from './max-pooling2d';
import { maxout } from './maxout';
import { multiply } from './multiply';
import { reshape } from './reshape';
import { separableConv2d } from './separable-conv2d';
import { upSampling2d } from './up-sampling2d';
import { zeroPadding2d } from './zero-padding2d';

/** Every layer type of graph-format version 1, in palette order within each category. */
export const LAYERS: readonly AnyLayerSpec[] = [
  input, dense, conv2d, depthwiseConv2d, separableConv2d, maxPooling2d, averagePooling2d,
  globalAveragePooling2d, globalMaxPooling2d, batchNormalization, dropout, flatten, reshape,
  zeroPadding2d, add, concatenate, activation, maxout,
  embedding, lstm, gru, layerNormalization,
  conv1d, conv2dTranspose, upSampling2d, multiply,
];

const byType = new Map(LAYERS.map((l) => [l.type, l]));

/** The spec of a layer type, or undefined for an unknown type. */
export function layerByType(type: string): AnyLayerSpec | undefined {
  return byType.get(type);
}
