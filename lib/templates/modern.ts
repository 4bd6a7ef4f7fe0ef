/** Networks with branches or depthwise convolutions: ResNet blocks and a MobileNet-style net. */
import { chainEdges, graph, type NodeSpec } from './build';

const conv = (filters: number, kernelSize: number, strides = 1): Record<string, unknown> =>
  ({ filters, kernelSize, strides, padding: 'same', useBias: false });

/**
 * Two residual blocks (He et al., 2016) on 32×32 images: an identity block, then a block that
 * halves the resolution and doubles the channels, with a 1×1 convolution on its shortcut.
 */
export const resnetBlocks = graph('ResNet blocks', [
  ['input', 'Input', { shape: [32, 32, 3] }],
  ['stem_conv', 'Conv2D', conv(16, 3)],
  ['stem_bn', 'BatchNormalization'],
  ['stem_relu', 'Activation', { activation: 'relu' }],
  ['b1_conv1', 'Conv2D', conv(16, 3)],
  ['b1_bn1', 'BatchNormalization'],
  ['b1_relu1', 'Activation', { activation: 'relu' }],
  ['b1_conv2', 'Conv2D', conv(16, 3)],
  ['b1_bn2', 'BatchNormalization'],
  ['b1_add', 'Add'],
  ['b1_out', 'Activation', { activation: 'relu' }],
  ['b2_conv1', 'Conv2D', conv(32, 3, 2)],
  ['b2_bn1', 'BatchNormalization'],
  ['b2_relu1', 'Activation', { activation: 'relu' }],
  ['b2_conv2', 'Conv2D', conv(32, 3)],
  ['b2_bn2', 'BatchNormalization'],
  ['b2_shortcut', 'Conv2D', conv(32, 1, 2)],
  ['b2_shortcut_bn', 'BatchNormalization'],
  ['b2_add', 'Add'],
  ['b2_out', 'Activation', { activation: 'relu' }],
  ['pool', 'GlobalAveragePooling2D'],
  ['output', 'Dense', { units: 10, activation: 'softmax' }],
], [
  ...chainEdges('input', 'stem_conv', 'stem_bn', 'stem_relu', 'b1_conv1', 'b1_bn1', 'b1_relu1', 'b1_conv2', 'b1_bn2', 'b1_add'),
  ['stem_relu', 'b1_add'],
  ...chainEdges('b1_add', 'b1_out', 'b2_conv1', 'b2_bn1', 'b2_relu1', 'b2_conv2', 'b2_bn2', 'b2_add'),
  ...chainEdges('b1_out', 'b2_shortcut', 'b2_shortcut_bn', 'b2_add'),
  ...chainEdges('b2_add', 'b2_out', 'pool', 'output'),
]);

/** Depthwise 3×3 + pointwise 1×1, each followed by batch norm and relu6 (Howard et al., 2017). */
function separableBlock(name: string, filters: number, strides: number): NodeSpec[] {
  return [
    [`${name}_dw`, 'DepthwiseConv2D', { kernelSize: 3, strides, padding: 'same', useBias: false }],
    [`${name}_dw_bn`, 'BatchNormalization'],
    [`${name}_dw_relu`, 'Activation', { activation: 'relu6' }],
    [`${name}_pw`, 'Conv2D', { filters, kernelSize: 1, padding: 'same', useBias: false }],
    [`${name}_pw_bn`, 'BatchNormalization'],
    [`${name}_pw_relu`, 'Activation', { activation: 'relu6' }],
  ];
}

const mobileNodes: NodeSpec[] = [
  ['input', 'Input', { shape: [96, 96, 3] }],
  ['conv1', 'Conv2D', conv(32, 3, 2)],
  ['conv1_bn', 'BatchNormalization'],
  ['conv1_relu', 'Activation', { activation: 'relu6' }],
  ...separableBlock('block1', 64, 1),
  ...separableBlock('block2', 128, 2),
  ...separableBlock('block3', 128, 1),
  ['pool', 'GlobalAveragePooling2D'],
  ['dropout', 'Dropout', { rate: 0.2 }],
  ['output', 'Dense', { units: 10, activation: 'softmax' }],
];

/** A small MobileNet-style network of depthwise separable blocks on 96×96 images. */
export const mobilenetSmall = graph('MobileNet-style', mobileNodes, chainEdges(...mobileNodes.map(([id]) => id)));
