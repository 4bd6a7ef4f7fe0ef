import { kw, pyBool, pyRegularizer, pyStr, pyTuple } from '../emit/python';
import { checkedWindow, window2d, windowParams, windowSummary } from '../conv-utils';
import { biasPart, convParams, GLOROT_UNIFORM, regularizer } from '../interop/keras-config';
import { activationSuffix, defineLayer, needsImage } from '../layer-spec';
import { activationParams, bool, int, regularizerParams } from '../params';
import { convModule, entry, padExpr, weight, windowPadding } from '../interop/pytorch-form';
import { permuted, weightOf, writeConv } from '../interop/onnx-form';

/** A depthwise convolution followed by a 1×1 (pointwise) convolution, in one layer. */
export const separableConv2d = defineLayer({
  type: 'SeparableConv2D',
  category: 'convolution',
  keywords: 'xception separable',
  description: 'A depthwise convolution (one filter per channel) followed by a 1×1 convolution that mixes channels: nearly what Conv2D does, with a fraction of the weights (Xception).',
  params: {
    filters: int({ min: 1, required: true, initial: 32, help: 'Number of output channels of the pointwise step' }),
    ...windowParams,
    depthMultiplier: int({ min: 1, default: 1, help: 'Depthwise output channels per input channel' }),
    ...activationParams({ default: 'linear', help: 'Function applied to each output value' }),
    useBias: bool({ default: true, help: 'Add a learned bias per filter' }),
    ...regularizerParams,
  },
  arity: { min: 1, max: 1 },
  example: { params: { filters: 5, kernelSize: 3, padding: 'same', l1: 0.001 }, inputs: [[8, 8, 3]] },
  summary: (p) => `${windowSummary(p, p.filters)}${p.depthMultiplier > 1 ? ` ×${p.depthMultiplier}` : ''}${activationSuffix(p.activation)}`,
  inferShape: (p, [x], ctx) => {
    if (x.length !== 3) return needsImage('SeparableConv2D', x, ctx);
    const hw = checkedWindow('kernel', x, p.kernelSize, p.strides, p.padding, ctx);
    return hw && [hw[0], hw[1], p.filters];
  },
  shapeFormula: (p, { inputs: [x] }) => window2d(x, p.kernelSize, p.strides, p.padding).formula,
  countParams: (p, { inputs: [x] }) => {
    const mid = x[2] * p.depthMultiplier;
    return { trainable: p.kernelSize[0] * p.kernelSize[1] * mid + mid * p.filters + (p.useBias ? p.filters : 0), nonTrainable: 0 };
  },
  paramFormula: (p, { inputs: [x] }) => {
    const mid = x[2] * p.depthMultiplier;
    const total = p.kernelSize[0] * p.kernelSize[1] * mid + mid * p.filters + (p.useBias ? p.filters : 0);
    return `${p.kernelSize[0]}·${p.kernelSize[1]}·${mid} + ${mid}·${p.filters}${p.useBias ? ` + ${p.filters}` : ''} = ${total}`;
  },
  macs: (p, { inputs: [x], output: [h, w] }) => {
    const mid = x[2] * p.depthMultiplier;
    return h * w * mid * (p.kernelSize[0] * p.kernelSize[1] + p.filters);
  },
  activationOf: (p) => p.activation,
  fusedActivation: true,
  toKeras: (p) => ({
    cls: 'layers.SeparableConv2D',
    args: [String(p.filters), pyTuple(p.kernelSize), ...kw('strides', pyTuple(p.strides), p.strides.every((s) => s === 1)),
      ...kw('padding', pyStr(p.padding), p.padding === 'valid'), ...kw('depth_multiplier', String(p.depthMultiplier), p.depthMultiplier === 1),
      ...kw('activation', pyStr(p.activation), p.activation === 'linear'), ...kw('use_bias', pyBool(p.useBias), p.useBias),
      ...pyRegularizer(p, 'depthwise_regularizer'), ...pyRegularizer(p, 'pointwise_regularizer')],
  }),
  pytorch: {
    module: (p, { inputs: [x] }) => `nn.Sequential(${convModule('nn.Conv2d', x[2], x[2] * p.depthMultiplier, { kernel: p.kernelSize, strides: p.strides, groups: x[2], bias: false },
      windowPadding(p.padding, x, p.kernelSize, p.strides).sym)}, ${convModule('nn.Conv2d', x[2] * p.depthMultiplier, p.filters, { kernel: [1, 1], strides: [1, 1], bias: p.useBias }, [0, 0])})`,
    forward: (p, { inputs: [x] }, [a], m) => `${m}(${padExpr(a, windowPadding(p.padding, x, p.kernelSize, p.strides).pad)})`,
    weights: (p, w, { inputs: [x] }) => [
      ...entry('0.weight', weight(w, 'depthwise_kernel'), [2, 3, 0, 1], [x[2] * p.depthMultiplier, 1, p.kernelSize[0], p.kernelSize[1]]),
      ...entry('1.weight', weight(w, 'pointwise_kernel'), [3, 2, 0, 1]),
      ...entry('1.bias', weight(w, 'bias')),
    ],
    penalized: () => ['0.weight', '1.weight'],
  },
  tfjs: {
    write: (p) => ({
      class_name: 'SeparableConv2D',
      config: {
        filters: p.filters, kernel_size: p.kernelSize, strides: p.strides, padding: p.padding, data_format: 'channels_last',
        dilation_rate: [1, 1], activation: p.activation, ...biasPart(p.useBias), depth_multiplier: p.depthMultiplier,
        depthwise_initializer: GLOROT_UNIFORM, pointwise_initializer: GLOROT_UNIFORM, depthwise_regularizer: regularizer(p),
        pointwise_regularizer: regularizer(p), depthwise_constraint: null, pointwise_constraint: null,
      },
    }),
    reads: ['SeparableConv2D', 'SeparableConvolution2D'],
    read: (c) => {
      const notes: string[] = [];
      const params = convParams(c, notes);
      if (params.dilationRate !== undefined) notes.push('dilation_rate is not supported for SeparableConv2D and is left out');
      delete params.dilationRate;
      return { params, notes };
    },
  },
  onnx: {
    // A depthwise Conv (group = channels, no bias) and a 1×1 Conv; ONNX files read back as the two layers.
    write: (p, { inputs: [x], inShapes: [s] }, w, ctx) => {
      const k = permuted(weightOf(w, 'depthwise_kernel'), [2, 3, 0, 1]);
      const mid = s[2] * p.depthMultiplier;
      const depthwise = writeConv(ctx, x, s, { dims: [mid, 1, k.dims[2], k.dims[3]], values: k.values }, undefined,
        { kernelSize: p.kernelSize, strides: p.strides, padding: p.padding, group: s[2] }, 'depthwise_kernel');
      const out = writeConv(ctx, depthwise, [0, 0, mid], permuted(weightOf(w, 'pointwise_kernel'), [3, 2, 0, 1]),
        p.useBias ? weightOf(w, 'bias').values : undefined, { kernelSize: [1, 1], strides: [1, 1], padding: 'valid' }, 'pointwise_kernel');
      return ctx.activation(p.activation, out, 3);
    },
  },
});
