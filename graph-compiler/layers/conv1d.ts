import { kw, pyBool, pyRegularizer, pyStr } from '../emit/python';
import { axisOutput } from '../conv-utils';
import { biasPart, convParams, GLOROT_NORMAL, regularizer } from '../interop/keras-config';
import { activationSuffix, defineLayer, fmtShape, type ShapeContext } from '../layer-spec';
import { activationParams, bool, choice, int, regularizerParams } from '../params';
import type { Shape } from '../types';
import { convModule, entry, padExpr, weight, windowPadding } from '../interop/pytorch-form';
import { permuted, samePads, weightOf } from '../interop/onnx-form';

/** Says that the input is not a sequence, with the fix for the shapes people feed it. */
function needsSequence(input: Shape, ctx: ShapeContext): null {
  const hint = input.length === 1
    ? ` (a flat vector): add a Reshape to [${input[0]}, 1] before it to treat it as ${input[0]} steps of one channel`
    : input.length === 3 ? ' (an image): use Conv2D, or Reshape it to [steps, channels] first' : '';
  ctx.error('input-rank', `Conv1D needs a sequence shaped [steps, channels], but its input is ${fmtShape(input)}${hint}.`);
  return null;
}

/**
 * A 1-D convolution over the steps of a sequence (audio, sensor readings, text embeddings).
 * Padding "causal" is left out: tfjs-layers 4.22 accepts it but throws when the layer runs.
 */
export const conv1d = defineLayer({
  type: 'Conv1D',
  category: 'convolution',
  keywords: 'convolution conv1d temporal sequence time series audio signal 1d',
  description: 'Slides learned filters along a sequence shaped [steps, channels]: each filter looks at kernelSize neighbouring steps across all channels and produces one output channel. Used for audio, sensor signals and text.',
  params: {
    filters: int({ min: 1, required: true, initial: 16, help: 'Number of filters, i.e. output channels' }),
    kernelSize: int({ min: 1, required: true, initial: 3, help: 'Length of the filter window, in steps' }),
    strides: int({ min: 1, default: 1, help: 'Step of the window: 2 halves the output length' }),
    padding: choice(['valid', 'same'], { default: 'valid', help: '"valid": no padding, the output is shorter; "same": pad with zeros so that stride 1 keeps the length' }),
    dilationRate: int({ min: 1, default: 1, advanced: true, help: 'Spacing between kernel taps: 2 widens a 3-step kernel to span 5 steps' }),
    ...activationParams({ default: 'linear', help: 'Function applied to each output value' }),
    useBias: bool({ default: true, help: 'Add a learned bias per filter' }),
    ...regularizerParams,
  },
  arity: { min: 1, max: 1 },
  example: { params: { filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }, inputs: [[9, 3]] },
  summary: (p) => `${p.filters} × ${p.kernelSize} /${p.strides} ${p.padding}${p.dilationRate > 1 ? ` dil ${p.dilationRate}` : ''}${activationSuffix(p.activation)}`,
  inferShape: (p, [x], ctx) => {
    if (x.length !== 2) return needsSequence(x, ctx);
    if (p.strides > 1 && p.dilationRate > 1) {
      ctx.error('stride-and-dilation', 'strides and dilationRate cannot both be more than 1 (TensorFlow does not support it); set one of them to 1.', 'dilationRate');
      return null;
    }
    const a = axisOutput(x[0], p.kernelSize, p.strides, p.padding, p.dilationRate);
    if (a.out <= 0) {
      const what = p.dilationRate > 1
        ? `kernel of ${p.kernelSize} steps dilated by ${p.dilationRate} spans ${a.span} steps, more than`
        : `kernel of ${p.kernelSize} steps is longer than`;
      ctx.error('output-size', `${a.formula.replace(/, rounded down to .*$/, '')} ≤ 0: the ${what} its input of ${x[0]} steps; use padding "same" or a smaller kernel.`, 'kernelSize');
      return null;
    }
    if (a.leftover > 0) {
      ctx.warn('stride-remainder',
        `${a.formula}: the stride ${p.strides} does not divide ${x[0]} − ${a.span} = ${x[0] - a.span}, so the last ${a.leftover === 1 ? 'step' : `${a.leftover} steps`} of the input ${a.leftover === 1 ? 'is' : 'are'} never read. Use padding "same" or a stride that divides evenly.`,
        'strides');
    }
    return [a.out, p.filters];
  },
  shapeFormula: (p, { inputs: [x] }) => [axisOutput(x[0], p.kernelSize, p.strides, p.padding, p.dilationRate).formula],
  countParams: (p, { inputs: [x] }) => ({ trainable: p.kernelSize * x[1] * p.filters + (p.useBias ? p.filters : 0), nonTrainable: 0 }),
  paramFormula: (p, { inputs: [x] }) => {
    const w = p.kernelSize * x[1] * p.filters;
    const k = `${p.kernelSize}·${x[1]}·${p.filters}`;
    return p.useBias ? `${k} + ${p.filters} = ${w + p.filters}` : `${k} = ${w}`;
  },
  macs: (p, { inputs: [x], output: [steps] }) => steps * p.filters * p.kernelSize * x[1],
  activationOf: (p) => p.activation,
  fusedActivation: true,
  toKeras: (p) => ({
    cls: 'layers.Conv1D',
    args: [String(p.filters), String(p.kernelSize), ...kw('strides', String(p.strides), p.strides === 1),
      ...kw('padding', pyStr(p.padding), p.padding === 'valid'), ...kw('dilation_rate', String(p.dilationRate), p.dilationRate === 1),
      ...kw('activation', pyStr(p.activation), p.activation === 'linear'), ...kw('use_bias', pyBool(p.useBias), p.useBias), ...pyRegularizer(p)],
  }),
  pytorch: {
    module: (p, { inputs: [x] }) => convModule('nn.Conv1d', x[1], p.filters, { kernel: [p.kernelSize], strides: [p.strides], dilation: [p.dilationRate], bias: p.useBias },
      windowPadding(p.padding, x, [p.kernelSize], [p.strides], [p.dilationRate]).sym),
    // Steps stay (N, steps, features) as in the document; Conv1d wants (N, features, steps).
    forward: (p, { inputs: [x] }, [a], m) =>
      `${m}(${padExpr(`${a}.transpose(1, 2)`, windowPadding(p.padding, x, [p.kernelSize], [p.strides], [p.dilationRate]).pad)}).transpose(1, 2)`,
    weights: (_p, w) => [...entry('weight', weight(w, 'kernel'), [2, 1, 0]), ...entry('bias', weight(w, 'bias'))],
    penalized: () => ['weight'],
  },
  tfjs: {
    write: (p) => ({
      class_name: 'Conv1D',
      config: {
        filters: p.filters, kernel_initializer: GLOROT_NORMAL, kernel_regularizer: regularizer(p), kernel_constraint: null,
        kernel_size: [p.kernelSize], strides: [p.strides], padding: p.padding, dilation_rate: [p.dilationRate],
        activation: p.activation, ...biasPart(p.useBias),
      },
    }),
    reads: ['Conv1D', 'Convolution1D'],
    read: (c) => {
      const notes: string[] = [];
      const params = convParams(c, notes);
      delete params.depthMultiplier;
      if (params.padding === 'causal') {
        notes.push('padding "causal" is imported as "same" (TensorFlow.js cannot run causal padding): the output has the same length, but each step now also sees the steps after it');
        params.padding = 'same';
      }
      return { params, notes };
    },
  },
  onnx: {
    // Sequences are [N, steps, features] in the ONNX graph: a Conv over NCW between two Transposes.
    write: (p, { inputs: [x], inShapes: [s] }, w, ctx) => {
      const k = permuted(weightOf(w, 'kernel'), [2, 1, 0]);
      const [a, b] = samePads(s[0], p.kernelSize, p.strides, p.dilationRate);
      const pads = p.padding === 'same' ? [a, b] : [0, 0];
      const ncw = ctx.node('Transpose', [x], { perm: { ints: [0, 2, 1] } });
      const conv = ctx.node('Conv', [ncw, ctx.weight('kernel', k.dims, k.values), ...(p.useBias ? [ctx.weight('bias', [p.filters], weightOf(w, 'bias').values)] : [])], {
        kernel_shape: { ints: [p.kernelSize] }, strides: { ints: [p.strides] }, dilations: { ints: [p.dilationRate] }, pads: { ints: [pads[0], pads[1]] },
      });
      return ctx.activation(p.activation, ctx.node('Transpose', [conv], { perm: { ints: [0, 2, 1] } }), 2);
    },
  },
});
