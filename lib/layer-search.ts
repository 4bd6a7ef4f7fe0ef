/** Finding layer types by name or purpose, for the palette and the quick-add box. */
import { LAYERS, type AnyLayerSpec } from '@/graph-compiler';

/** Also found under these words (what people type when they do not know the Keras name). */
const ALIASES: Record<string, string> = {
  Dense: 'fully connected linear fc perceptron mlp',
  Conv2D: 'convolution conv filter kernel',
  MaxPooling2D: 'maxpool pool downsample',
  AveragePooling2D: 'avgpool pool downsample subsampling',
  GlobalAveragePooling2D: 'gap avgpool',
  GlobalMaxPooling2D: 'gmp maxpool',
  BatchNormalization: 'batchnorm bn',
  Dropout: 'regularization',
  Add: 'residual skip sum resnet',
  Concatenate: 'concat join merge inception',
  Activation: 'relu sigmoid tanh softmax step',
  Flatten: 'reshape vector',
  DepthwiseConv2D: 'mobilenet depthwise',
  SeparableConv2D: 'xception separable',
  ZeroPadding2D: 'pad padding',
};

/**
 * Layer types matching `query`, best first: a type starting with it, then containing it, then
 * matching an alias, the category or the description. An empty query gives every layer.
 */
export function searchLayers(query: string, layers: readonly AnyLayerSpec[] = LAYERS): AnyLayerSpec[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...layers];
  const scored: [number, number, AnyLayerSpec][] = [];
  layers.forEach((l, i) => {
    const type = l.type.toLowerCase();
    let score = 0;
    if (type.startsWith(q)) score = 4;
    else if (type.includes(q)) score = 3;
    else if ((ALIASES[l.type] ?? '').split(' ').some((w) => w.startsWith(q))) score = 2;
    else if (l.category.startsWith(q) || l.description.toLowerCase().includes(q)) score = 1;
    if (score) scored.push([score, i, l]);
  });
  return scored.sort((a, b) => b[0] - a[0] || a[1] - b[1]).map(([, , l]) => l);
}
