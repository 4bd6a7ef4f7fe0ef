import { kw, pyBool, pyRegularizer, pyStr, pyTuple } from '../emit/python';
import { checkedWindow, window2d, windowParams, windowSummary } from '../conv-utils';
import { biasPart, convParams, GLOROT_NORMAL, regularizer } from '../interop/keras-config';
import { activationSuffix, defineLayer, needsImage } from '../layer-spec';
import { activationParams, bool, choice, int, intOrPair, matrix, regularizerParams, type IntPair } from '../params';
import { DEFAULT_CUSTOM_KERNEL, KERNEL_PRESETS, PRESET_LABELS, presetKernel, presetWeights, type KernelPreset } from '../conv-kernels';
import { convModule, entry, padExpr, pyNumber, weight, windowPadding } from '../interop/pytorch-form';
import { permuted, readConv, weightOf, writeConv } from '../interop/onnx-form';

/**
 * Keras arguments that fix a preset's kernel (the same 3×3 on every input channel, broadcast by
 * Constant over the kernel's [3, 3, channels, 1]) and freeze the layer with its zero bias.
 */
function kerasFixedKernel(k: number[][] | null): string[] {
  if (!k) return [];
  const rows = `[${k.map((r) => `[${r.map((v) => pyNumber(v)).join(', ')}]`).join(', ')}]`;
  return [`kernel_initializer=keras.initializers.Constant(np.array(${rows}, dtype="float32").reshape(3, 3, 1, 1))`, 'bias_initializer="zeros"', 'trainable=False'];
}

/** A 2-D convolution: `filters` learned kernels slid over the image. */
export const conv2d = defineLayer({
  type: 'Conv2D',
  category: 'convolution',
  keywords: 'convolution conv filter kernel',
  description: 'Slides small learned filters over the image; each filter looks at a kernel-sized window across all input channels and produces one output channel (a feature map).',
  params: {
    filters: int({ min: 1, required: true, initial: 32, help: 'Number of filters, i.e. output channels' }),
    ...windowParams,
    dilationRate: intOrPair({ default: [1, 1] as IntPair, help: 'Spacing between kernel taps: 2 widens a 3×3 kernel to span 5×5' }),
    ...activationParams({ default: 'linear', help: 'Function applied to each output value' }),
    useBias: bool({ default: true, help: 'Add a learned bias per filter' }),
    kernelPreset: choice(KERNEL_PRESETS, { default: 'none', titles: PRESET_LABELS, help: 'A fixed image filter instead of a learned kernel (frozen: one 3×3 filter, bias 0)' }),
    kernel: matrix({ rows: 3, cols: 3, default: DEFAULT_CUSTOM_KERNEL, help: 'The 3×3 weights of the custom preset, rows top to bottom', shownWhen: { param: 'kernelPreset', equals: 'custom' } }),
    ...regularizerParams,
  },
  arity: { min: 1, max: 1 },
  example: { params: { filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'leakyRelu' }, inputs: [[9, 9, 2]] },
  summary: (p) => `${windowSummary(p, p.filters)}${p.dilationRate[0] > 1 || p.dilationRate[1] > 1 ? ` dil ${p.dilationRate.join('×')}` : ''}${activationSuffix(p.activation)}${p.kernelPreset === 'none' ? '' : ` · ${PRESET_LABELS[p.kernelPreset as KernelPreset]}`}`,
  inferShape: (p, [x], ctx) => {
    if (x.length !== 3) return needsImage('Conv2D', x, ctx);
    if ((p.strides[0] > 1 || p.strides[1] > 1) && (p.dilationRate[0] > 1 || p.dilationRate[1] > 1)) {
      ctx.error('stride-and-dilation', 'strides and dilationRate cannot both be more than 1 (TensorFlow does not support it); set one of them to 1.', 'dilationRate');
      return null;
    }
    if (p.kernelPreset !== 'none' && (p.filters !== 1 || p.kernelSize[0] !== 3 || p.kernelSize[1] !== 3)) {
      ctx.error('kernel-preset', `the kernel preset "${p.kernelPreset}" is one fixed 3×3 filter, but the layer has ${p.filters} filter${p.filters === 1 ? '' : 's'} of ${p.kernelSize.join('×')}; set filters to 1 and kernelSize to 3, or the preset to none (learned).`, 'kernelPreset');
      return null;
    }
    const hw = checkedWindow('kernel', x, p.kernelSize, p.strides, p.padding, ctx, p.dilationRate);
    return hw && [hw[0], hw[1], p.filters];
  },
  shapeFormula: (p, { inputs: [x] }) => window2d(x, p.kernelSize, p.strides, p.padding, p.dilationRate).formula,
  countParams: (p, { inputs: [x] }) => {
    const n = p.kernelSize[0] * p.kernelSize[1] * x[2] * p.filters + (p.useBias ? p.filters : 0);
    return p.kernelPreset === 'none' ? { trainable: n, nonTrainable: 0 } : { trainable: 0, nonTrainable: n };
  },
  fixedWeights: (p, { inputs: [x] }) => {
    const k = presetKernel(p.kernelPreset as KernelPreset, p.kernel);
    if (!k) return null;
    const w = presetWeights(k, x[2], p.useBias);
    return w.bias ? [w.kernel, w.bias] : [w.kernel];
  },
  paramFormula: (p, { inputs: [x] }) => {
    const w = p.kernelSize[0] * p.kernelSize[1] * x[2] * p.filters;
    const k = `${p.kernelSize[0]}·${p.kernelSize[1]}·${x[2]}·${p.filters}`;
    const frozen = p.kernelPreset === 'none' ? '' : ' (frozen: the preset’s kernel, bias 0)';
    return (p.useBias ? `${k} + ${p.filters} = ${w + p.filters}` : `${k} = ${w}`) + frozen;
  },
  macs: (p, { inputs: [x], output: [h, w] }) => h * w * p.filters * p.kernelSize[0] * p.kernelSize[1] * x[2],
  activationOf: (p) => p.activation,
  fusedActivation: true,
  toKeras: (p) => ({
    cls: 'layers.Conv2D',
    args: [String(p.filters), pyTuple(p.kernelSize), ...kw('strides', pyTuple(p.strides), p.strides.every((s) => s === 1)),
      ...kw('padding', pyStr(p.padding), p.padding === 'valid'), ...kw('dilation_rate', pyTuple(p.dilationRate), p.dilationRate.every((d) => d === 1)),
      ...kw('activation', pyStr(p.activation), p.activation === 'linear'), ...kw('use_bias', pyBool(p.useBias), p.useBias), ...pyRegularizer(p),
      ...kerasFixedKernel(presetKernel(p.kernelPreset as KernelPreset, p.kernel))],
  }),
  pytorch: {
    // A preset's weights arrive with the others (read from the built model); they stay frozen.
    module: (p, { inputs: [x] }) => convModule('nn.Conv2d', x[2], p.filters, { kernel: p.kernelSize, strides: p.strides, dilation: p.dilationRate, bias: p.useBias },
      windowPadding(p.padding, x, p.kernelSize, p.strides, p.dilationRate).sym) + (p.kernelPreset === 'none' ? '' : '.requires_grad_(False)'),
    forward: (p, { inputs: [x] }, [a], m) => `${m}(${padExpr(a, windowPadding(p.padding, x, p.kernelSize, p.strides, p.dilationRate).pad)})`,
    weights: (_p, w) => [...entry('weight', weight(w, 'kernel'), [3, 2, 0, 1]), ...entry('bias', weight(w, 'bias'))],
    penalized: () => ['weight'],
  },
  tfjs: {
    write: (p) => ({
      class_name: 'Conv2D',
      config: {
        filters: p.filters, kernel_initializer: GLOROT_NORMAL, kernel_regularizer: regularizer(p), kernel_constraint: null,
        kernel_size: p.kernelSize, strides: p.strides, padding: p.padding, data_format: 'channels_last',
        dilation_rate: p.dilationRate, activation: p.activation, ...biasPart(p.useBias),
        ...(p.kernelPreset === 'none' ? {} : { trainable: false }),
      },
    }),
    reads: ['Conv2D', 'Convolution2D'],
    read: (c) => {
      const notes: string[] = [];
      const params = convParams(c, notes);
      delete params.depthMultiplier;
      return { params, notes };
    },
  },
  onnx: {
    write: (p, { inputs: [x], inShapes: [s] }, w, ctx) => ctx.activation(p.activation, writeConv(ctx, x, s, permuted(weightOf(w, 'kernel'), [3, 2, 0, 1]),
      p.useBias ? weightOf(w, 'bias').values : undefined, { kernelSize: p.kernelSize, strides: p.strides, padding: p.padding, dilation: p.dilationRate }), 3),
    ops: ['Conv'],
    read: (node, ctx) => readConv('Conv2D', node, ctx),
  },
});
