import { kw, pyBool, pyRegularizer, pyStr, pyTuple } from '../emit/python';
import { checkedWindow, window2d, windowParams, windowSummary } from '../conv-utils';
import { biasPart, convParams, GLOROT_NORMAL, regularizer } from '../interop/keras-config';
import { activationSuffix, defineLayer, needsImage } from '../layer-spec';
import { activationParams, bool, int, regularizerParams } from '../params';
import { convModule, entry, padExpr, weight, windowPadding } from '../interop/pytorch-form';
import { permuted, readConv, weightOf, writeConv } from '../interop/onnx-form';

/** A depthwise convolution: one kernel per input channel, channels never mixed. */
export const depthwiseConv2d = defineLayer({
  type: 'DepthwiseConv2D',
  category: 'convolution',
  keywords: 'mobilenet depthwise',
  description: 'Convolves each input channel with its own filter (or depthMultiplier filters) and never mixes channels: far fewer weights than Conv2D. MobileNet pairs it with a 1×1 Conv2D.',
  params: {
    ...windowParams,
    depthMultiplier: int({ min: 1, default: 1, help: 'Output channels per input channel' }),
    ...activationParams({ default: 'linear', help: 'Function applied to each output value' }),
    useBias: bool({ default: true, help: 'Add a learned bias per output channel' }),
    ...regularizerParams,
  },
  arity: { min: 1, max: 1 },
  example: { params: { kernelSize: 3, depthMultiplier: 2, activation: 'relu6' }, inputs: [[8, 8, 3]] },
  summary: (p) => `${windowSummary(p)}${p.depthMultiplier > 1 ? ` ×${p.depthMultiplier}` : ''}${activationSuffix(p.activation)}`,
  inferShape: (p, [x], ctx) => {
    if (x.length !== 3) return needsImage('DepthwiseConv2D', x, ctx);
    const hw = checkedWindow('kernel', x, p.kernelSize, p.strides, p.padding, ctx);
    return hw && [hw[0], hw[1], x[2] * p.depthMultiplier];
  },
  shapeFormula: (p, { inputs: [x] }) => window2d(x, p.kernelSize, p.strides, p.padding).formula,
  countParams: (p, { inputs: [x] }) => {
    const c = x[2] * p.depthMultiplier;
    return { trainable: p.kernelSize[0] * p.kernelSize[1] * c + (p.useBias ? c : 0), nonTrainable: 0 };
  },
  paramFormula: (p, { inputs: [x] }) => {
    const c = x[2] * p.depthMultiplier;
    const w = p.kernelSize[0] * p.kernelSize[1] * c;
    const k = `${p.kernelSize[0]}·${p.kernelSize[1]}·${x[2]}${p.depthMultiplier > 1 ? `·${p.depthMultiplier}` : ''}`;
    return p.useBias ? `${k} + ${c} = ${w + c}` : `${k} = ${w}`;
  },
  macs: (p, { inputs: [x], output: [h, w] }) => h * w * x[2] * p.depthMultiplier * p.kernelSize[0] * p.kernelSize[1],
  activationOf: (p) => p.activation,
  fusedActivation: true,
  toKeras: (p) => ({
    cls: 'layers.DepthwiseConv2D',
    args: [pyTuple(p.kernelSize), ...kw('strides', pyTuple(p.strides), p.strides.every((s) => s === 1)),
      ...kw('padding', pyStr(p.padding), p.padding === 'valid'), ...kw('depth_multiplier', String(p.depthMultiplier), p.depthMultiplier === 1),
      ...kw('activation', pyStr(p.activation), p.activation === 'linear'), ...kw('use_bias', pyBool(p.useBias), p.useBias), ...pyRegularizer(p, 'depthwise_regularizer')],
  }),
  pytorch: {
    module: (p, { inputs: [x] }) => convModule('nn.Conv2d', x[2], x[2] * p.depthMultiplier, { kernel: p.kernelSize, strides: p.strides, groups: x[2], bias: p.useBias },
      windowPadding(p.padding, x, p.kernelSize, p.strides).sym),
    forward: (p, { inputs: [x] }, [a], m) => `${m}(${padExpr(a, windowPadding(p.padding, x, p.kernelSize, p.strides).pad)})`,
    // tfjs: [kh, kw, in, multiplier]; a grouped Conv2d: (in·multiplier, 1, kh, kw), output channel c·multiplier + k in both.
    weights: (p, w, { inputs: [x] }) => [
      ...entry('weight', weight(w, 'depthwise_kernel'), [2, 3, 0, 1], [x[2] * p.depthMultiplier, 1, p.kernelSize[0], p.kernelSize[1]]),
      ...entry('bias', weight(w, 'bias')),
    ],
    penalized: () => ['weight'],
  },
  tfjs: {
    write: (p) => ({
      class_name: 'DepthwiseConv2D',
      config: {
        kernel_size: p.kernelSize, strides: p.strides, padding: p.padding, data_format: 'channels_last', dilation_rate: [1, 1],
        activation: p.activation, ...biasPart(p.useBias), depth_multiplier: p.depthMultiplier,
        depthwise_initializer: GLOROT_NORMAL, depthwise_regularizer: regularizer(p), depthwise_constraint: null,
      },
    }),
    reads: ['DepthwiseConv2D'],
    read: (c) => {
      const notes: string[] = [];
      const params = convParams(c, notes);
      delete params.filters;
      if (params.dilationRate !== undefined) notes.push('dilation_rate is left out (tfjs ignores it for DepthwiseConv2D)');
      delete params.dilationRate;
      return { params, notes };
    },
  },
  onnx: {
    // tfjs [kh, kw, c, m] → ONNX [c·m, 1, kh, kw]: output channel c·m + k, as TensorFlow orders them.
    write: (p, { inputs: [x], inShapes: [s] }, w, ctx) => {
      const k = permuted(weightOf(w, 'depthwise_kernel'), [2, 3, 0, 1]);
      const kernel = { dims: [k.dims[0] * k.dims[1], 1, k.dims[2], k.dims[3]], values: k.values };
      return ctx.activation(p.activation, writeConv(ctx, x, s, kernel, p.useBias ? weightOf(w, 'bias').values : undefined,
        { kernelSize: p.kernelSize, strides: p.strides, padding: p.padding, group: s[2] }), 3);
    },
    ops: ['Conv'],
    read: (node, ctx) => readConv('DepthwiseConv2D', node, ctx),
  },
});
