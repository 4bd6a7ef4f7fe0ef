import { kw, pyBool, pyRegularizer, pyStr } from '../emit/python';
import { activationName, GLOROT_NORMAL, regularizer, regularizerFactors, without, ZEROS } from '../interop/keras-config';
import { activationSuffix, defineLayer, fmtShape, size } from '../layer-spec';
import { activationParams, bool, int, regularizerParams } from '../params';
import { entry, toFirst, toLast, weight } from '../interop/pytorch-form';
import { readDense, weightOf } from '../interop/onnx-form';

/** A fully connected layer: every output unit sees every input value of the last axis. */
export const dense = defineLayer({
  type: 'Dense',
  category: 'core',
  keywords: 'fully connected linear fc perceptron mlp',
  description: 'A fully connected layer: each of its units computes a weighted sum of all inputs plus a bias, then applies its activation. A single Dense unit with a step activation is the perceptron.',
  params: {
    units: int({ min: 1, required: true, initial: 10, help: 'Number of output units (neurons)' }),
    ...activationParams({ default: 'linear', help: 'Function applied to each unit’s weighted sum' }),
    useBias: bool({ default: true, help: 'Add a learned bias to each unit' }),
    ...regularizerParams,
  },
  arity: { min: 1, max: 1 },
  example: { params: { units: 3, activation: 'step', l2: 0.01 }, inputs: [[5]] },
  summary: (p) => `${p.units} units${activationSuffix(p.activation)}`,
  inferShape: (p, [x], ctx) => {
    if (x.length >= 3) {
      ctx.warn('dense-on-image',
        `its input ${fmtShape(x)} has ${x.length} axes; Dense acts on the last axis only (each of the ${size(x.slice(0, -1))} positions gets its own ${p.units} outputs). Did you mean to put a Flatten before it?`);
    }
    return [...x.slice(0, -1), p.units];
  },
  countParams: (p, { inputs: [x] }) => ({ trainable: x[x.length - 1] * p.units + (p.useBias ? p.units : 0), nonTrainable: 0 }),
  paramFormula: (p, { inputs: [x] }) => {
    const n = x[x.length - 1];
    const w = n * p.units;
    return p.useBias ? `${n}·${p.units} + ${p.units} = ${w + p.units}` : `${n}·${p.units} = ${w}`;
  },
  macs: (p, { inputs: [x] }) => size(x) * p.units,
  activationOf: (p) => p.activation,
  fusedActivation: true,
  toKeras: (p) => ({ cls: 'layers.Dense', args: [String(p.units), ...kw('activation', pyStr(p.activation), p.activation === 'linear'), ...kw('use_bias', pyBool(p.useBias), p.useBias), ...pyRegularizer(p)] }),
  pytorch: {
    module: (p, { inputs: [x] }) => `nn.Linear(${x[x.length - 1]}, ${p.units}${p.useBias ? '' : ', bias=False'})`,
    forward: (_p, { inputs: [x] }, [a], m) => toFirst(`${m}(${toLast(a, x)})`, x),
    weights: (_p, w) => [...entry('weight', weight(w, 'kernel'), [1, 0]), ...entry('bias', weight(w, 'bias'))],
    penalized: () => ['weight'],
  },
  tfjs: {
    write: (p) => ({
      class_name: 'Dense',
      config: {
        units: p.units, activation: p.activation, use_bias: p.useBias, kernel_initializer: GLOROT_NORMAL, bias_initializer: ZEROS,
        kernel_regularizer: regularizer(p), bias_regularizer: null, activity_regularizer: null, kernel_constraint: null,
        bias_constraint: null,
      },
    }),
    reads: ['Dense'],
    read: (c) => ({
      params: without({ units: c.units, activation: activationName(c.activation), useBias: c.use_bias, ...regularizerFactors(c.kernel_regularizer) }, { activation: 'linear', useBias: true }),
    }),
  },
  onnx: {
    // Gemm on [N, features]; on longer tensors MatMul + Add over the last axis (images as NHWC for it).
    write: (p, { inputs: [x], inShapes: [s], outShape }, w, ctx) => {
      const n = s[s.length - 1];
      const kernel = ctx.weight('kernel', [n, p.units], weightOf(w, 'kernel').values);
      const bias = p.useBias ? [ctx.weight('bias', [p.units], weightOf(w, 'bias').values)] : [];
      let out: string;
      if (s.length === 1) out = ctx.node('Gemm', [x, kernel, ...bias]);
      else {
        const y = ctx.node('MatMul', [s.length === 3 ? ctx.toNhwc(x) : x, kernel]);
        const z = bias.length ? ctx.node('Add', [y, bias[0]]) : y;
        out = s.length === 3 ? ctx.toNchw(z) : z;
      }
      return ctx.activation(p.activation, out, outShape.length);
    },
    ops: ['Gemm', 'MatMul'],
    read: readDense,
  },
});
