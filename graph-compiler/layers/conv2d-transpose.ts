import { kw, pyBool, pyRegularizer, pyStr, pyTuple } from '../emit/python';
import { num, windowParams, windowSummary, type PaddingMode } from '../conv-utils';
import { biasPart, convParams, GLOROT_NORMAL, regularizer } from '../interop/keras-config';
import { activationSuffix, defineLayer, needsImage } from '../layer-spec';
import { activationParams, bool, int, regularizerParams } from '../params';
import { convModule, entry, tuple, weight } from '../interop/pytorch-form';
import { pairParam, permuted, readBias, transpose, weightOf } from '../interop/onnx-form';

/**
 * Output length of a transposed convolution along one axis, as tfjs-layers' `deconvLength`
 * computes it: N·s for "same", N·s + max(k − s, 0) for "valid" (= (N − 1)·s + k when k ≥ s).
 */
function deconvLength(n: number, stride: number, kernel: number, padding: PaddingMode): number {
  return padding === 'same' ? n * stride : n * stride + Math.max(kernel - stride, 0);
}

/** The arithmetic of one axis with its numbers, e.g. `(14 − 1)·2 + 3 = 29`. */
function deconvFormula(n: number, stride: number, kernel: number, padding: PaddingMode): string {
  const out = deconvLength(n, stride, kernel, padding);
  if (padding === 'same') return `${n}·${stride} = ${out} (padding "same": stride × input)`;
  if (kernel >= stride) return `(${n} − 1)·${stride} + ${kernel} = ${out}`;
  return `${n}·${stride} = ${out} (the kernel ${kernel} is shorter than the stride ${stride}: each input value paints a ${kernel}-wide patch and ${num(stride - kernel)} of every ${stride} outputs stay at the bias)`;
}

/**
 * The forward expression of a transposed convolution in PyTorch. ConvTranspose2d without padding
 * gives the full (N − 1)·s + k outputs; TensorFlow's "same" keeps N·s of them, starting ⌊(k − s)/2⌋
 * in (the padding the matching forward convolution puts before). When the kernel is shorter than
 * the stride the full output is shorter than TensorFlow's, whose last outputs hold only the bias:
 * then the convolution runs without its bias, is padded with zeros, and the bias is added after.
 */
function torchDeconv(p: { kernelSize: number[]; strides: number[]; padding: string; useBias: boolean }, x: number[], out: number[], a: string, m: string): string {
  const axes = [0, 1];
  const start = axes.map((i) => (p.padding === 'same' ? Math.floor(Math.max(p.kernelSize[i] - p.strides[i], 0) / 2) : 0));
  const full = axes.map((i) => (x[i] - 1) * p.strides[i] + p.kernelSize[i]);
  const short = axes.map((i) => Math.max(start[i] + out[i] - full[i], 0));
  const crop = axes.every((i) => start[i] === 0 && out[i] === full[i] + short[i]) ? '' : `[:, :, ${start[0]}:${start[0] + out[0]}, ${start[1]}:${start[1] + out[1]}]`;
  if (short.every((s) => s === 0)) return `${m}(${a})${crop}`;
  const padded = `F.pad(F.conv_transpose2d(${a}, ${m}.weight, stride=${tuple(p.strides)}), (0, ${short[1]}, 0, ${short[0]}))${crop}`;
  return p.useBias ? `${padded} + ${m}.bias.view(1, -1, 1, 1)` : padded;
}

/** A transposed ("deconvolution") 2-D convolution: the learned upsampling of decoders and GANs. */
export const conv2dTranspose = defineLayer({
  type: 'Conv2DTranspose',
  category: 'convolution',
  keywords: 'deconvolution deconv transposed upsample upconv decoder unet gan fractionally strided',
  description: 'Runs a convolution backwards: each input value stamps a learned kernel-sized patch onto a larger output, spaced by the stride. With strides 2 it doubles height and width, the learned upsampling of U-Net decoders and GAN generators.',
  params: {
    filters: int({ min: 1, required: true, initial: 16, help: 'Number of filters, i.e. output channels' }),
    kernelSize: windowParams.kernelSize,
    strides: { ...windowParams.strides, help: 'Spacing of the stamped patches, in output pixels: 2 doubles the output size' },
    padding: { ...windowParams.padding, help: '"same": the output is exactly stride × input; "valid": it grows by the kernel overhang, (N − 1)·stride + kernel' },
    ...activationParams({ default: 'linear', help: 'Function applied to each output value' }),
    useBias: bool({ default: true, help: 'Add a learned bias per filter' }),
    ...regularizerParams,
  },
  arity: { min: 1, max: 1 },
  example: { params: { filters: 3, kernelSize: [3, 2], strides: 2, activation: 'leakyRelu' }, inputs: [[4, 5, 2]] },
  summary: (p) => `${windowSummary(p, p.filters)} ↑${activationSuffix(p.activation)}`,
  inferShape: (p, [x], ctx) => {
    if (x.length !== 3) return needsImage('Conv2DTranspose', x, ctx);
    return [
      deconvLength(x[0], p.strides[0], p.kernelSize[0], p.padding),
      deconvLength(x[1], p.strides[1], p.kernelSize[1], p.padding),
      p.filters,
    ];
  },
  shapeFormula: (p, { inputs: [x] }) => {
    const h = deconvFormula(x[0], p.strides[0], p.kernelSize[0], p.padding);
    const w = deconvFormula(x[1], p.strides[1], p.kernelSize[1], p.padding);
    return h === w ? [h] : [`height: ${h}`, `width: ${w}`];
  },
  countParams: (p, { inputs: [x] }) => ({
    trainable: p.kernelSize[0] * p.kernelSize[1] * p.filters * x[2] + (p.useBias ? p.filters : 0),
    nonTrainable: 0,
  }),
  paramFormula: (p, { inputs: [x] }) => {
    const w = p.kernelSize[0] * p.kernelSize[1] * x[2] * p.filters;
    const k = `${p.kernelSize[0]}·${p.kernelSize[1]}·${x[2]}·${p.filters}`;
    return p.useBias ? `${k} + ${p.filters} = ${w + p.filters}` : `${k} = ${w}`;
  },
  // Every input value meets every kernel weight once.
  macs: (p, { inputs: [x] }) => x[0] * x[1] * x[2] * p.kernelSize[0] * p.kernelSize[1] * p.filters,
  activationOf: (p) => p.activation,
  fusedActivation: true,
  toKeras: (p) => ({
    cls: 'layers.Conv2DTranspose',
    args: [String(p.filters), pyTuple(p.kernelSize), ...kw('strides', pyTuple(p.strides), p.strides.every((s) => s === 1)),
      ...kw('padding', pyStr(p.padding), p.padding === 'valid'),
      ...kw('activation', pyStr(p.activation), p.activation === 'linear'), ...kw('use_bias', pyBool(p.useBias), p.useBias), ...pyRegularizer(p)],
  }),
  pytorch: {
    module: (p, { inputs: [x] }) => convModule('nn.ConvTranspose2d', x[2], p.filters, { kernel: p.kernelSize, strides: p.strides, bias: p.useBias }, [0, 0]),
    forward: (p, { inputs: [x], output }, [a], m) => torchDeconv(p, x, output, a, m),
    // tfjs holds the kernel [kh, kw, out, in]; ConvTranspose2d holds (in, out, kh, kw).
    weights: (_p, w) => [...entry('weight', weight(w, 'kernel'), [3, 2, 0, 1]), ...entry('bias', weight(w, 'bias'))],
    penalized: () => ['weight'],
  },
  tfjs: {
    // tfjs-layers' Conv2DTranspose ignores dilation and leaves dilation_rate out of its config.
    write: (p) => ({
      class_name: 'Conv2DTranspose',
      config: {
        filters: p.filters, kernel_initializer: GLOROT_NORMAL, kernel_regularizer: regularizer(p), kernel_constraint: null,
        kernel_size: p.kernelSize, strides: p.strides, padding: p.padding, data_format: 'channels_last',
        activation: p.activation, ...biasPart(p.useBias),
      },
    }),
    reads: ['Conv2DTranspose', 'Deconvolution2D', 'Deconv2D'],
    read: (c) => {
      const notes: string[] = [];
      const params = convParams(c, notes);
      delete params.depthMultiplier;
      if (params.dilationRate !== undefined) notes.push(`dilation_rate ${JSON.stringify(c.dilation_rate)} is left out (TensorFlow.js has no dilated transposed convolution)`);
      delete params.dilationRate;
      if (c.output_padding !== undefined && c.output_padding !== null) {
        notes.push(`output_padding ${JSON.stringify(c.output_padding)} is left out (TensorFlow.js does not have it): the output may be smaller than in the original model`);
      }
      return { params, notes };
    },
  },
  onnx: {
    // tfjs [kh, kw, filters, in] → ONNX ConvTranspose [in, filters, kh, kw]; `same` crops TensorFlow's
    // padding (the odd cell at the end) and output_padding adds what a kernel smaller than its stride leaves.
    write: (p, { inputs: [x], inShapes: [s], outShape }, w, ctx) => {
      const k = permuted(weightOf(w, 'kernel'), [3, 2, 0, 1]);
      const pads = [0, 0, 0, 0];
      const extra = [0, 0];
      for (let a = 0; a < 2; a++) {
        const total = p.padding === 'same' ? Math.max(p.kernelSize[a] - p.strides[a], 0) : 0;
        pads[a] = Math.floor(total / 2);
        pads[a + 2] = total - pads[a];
        extra[a] = outShape[a] - ((s[a] - 1) * p.strides[a] + p.kernelSize[a] - total);
      }
      const out = ctx.node('ConvTranspose', [x, ctx.weight('kernel', k.dims, k.values), ...(p.useBias ? [ctx.weight('bias', [p.filters], weightOf(w, 'bias').values)] : [])], {
        kernel_shape: { ints: p.kernelSize }, strides: { ints: p.strides }, pads: { ints: pads }, output_padding: { ints: extra },
      });
      return ctx.activation(p.activation, out, 3);
    },
    ops: ['ConvTranspose'],
    read: (node, ctx) => {
      const W = ctx.constant(1);
      const x = ctx.shape(0);
      if (!W || !W.float || W.dims.length !== 4) return { reason: 'its weights are not a constant 4-D tensor' };
      if (!x || x.length !== 4) return { reason: `its input is not an NCHW image (shape ${JSON.stringify(x)})` };
      if (Number(node.attrs.group ?? 1) !== 1) return { reason: 'grouped transposed convolutions are not supported' };
      if (node.attrs.output_shape !== undefined) return { reason: 'output_shape is not read; give pads and output_padding instead' };
      const [cin, filters, kh, kw] = W.dims;
      if (cin !== x[1]) return { reason: `its weights take ${cin} channels but its input has ${x[1]}` };
      const kernelSize = [kh, kw];
      const strides = Array.isArray(node.attrs.strides) ? node.attrs.strides : [1, 1];
      if ((Array.isArray(node.attrs.dilations) ? node.attrs.dilations : [1, 1]).some((d) => d !== 1)) return { reason: 'dilated transposed convolutions are not supported' };
      const pads = Array.isArray(node.attrs.pads) ? node.attrs.pads : [0, 0, 0, 0];
      const extra = Array.isArray(node.attrs.output_padding) ? node.attrs.output_padding : [0, 0];
      // Which of our paddings gives these pads and this output size.
      const padding = (['valid', 'same'] as const).find((mode) => [0, 1].every((a) => {
        const total = mode === 'same' ? Math.max(kernelSize[a] - strides[a], 0) : 0;
        const out = deconvLength(x[2 + a], strides[a], kernelSize[a], mode);
        return pads[a] === Math.floor(total / 2) && pads[a + 2] === total - Math.floor(total / 2)
          && (x[2 + a] - 1) * strides[a] + kernelSize[a] - total + extra[a] === out;
      }));
      if (!padding) return { reason: `pads ${JSON.stringify(pads)} with output_padding ${JSON.stringify(extra)} are neither "valid" nor TensorFlow's "same"` };
      const bias = readBias(ctx, 2, filters);
      if ('reason' in bias) return bias;
      const k = transpose(Float32Array.from(W.values), W.dims, [2, 3, 1, 0]);
      return {
        layers: [{
          type: 'Conv2DTranspose',
          params: { filters, kernelSize: pairParam(kernelSize), ...(strides.some((s) => s !== 1) ? { strides: pairParam(strides) } : {}), ...(padding === 'same' ? { padding } : {}), ...(bias.values ? {} : { useBias: false }) },
          weights: [{ name: 'kernel', shape: k.dims, values: k.values, trainable: true }, ...(bias.values ? [{ name: 'bias', shape: [filters], values: bias.values, trainable: true }] : [])],
        }],
        tensorInputs: [0],
      };
    },
  },
});
