import { kw } from '../emit/python';
import { ONES, without, ZEROS } from '../interop/keras-config';
import { defineLayer, size } from '../layer-spec';
import { float } from '../params';
import { entry, pyNumber, weight } from '../interop/pytorch-form';
import { weightOf } from '../interop/onnx-form';

/** Normalises each channel over the batch. */
export const batchNormalization = defineLayer({
  type: 'BatchNormalization',
  category: 'normalization',
  keywords: 'batchnorm bn normalization',
  description: 'Normalises each channel to mean 0 and variance 1 over the batch, then scales and shifts it with learned γ and β. Trains faster and more stably. 4 numbers per channel, 2 of them (the running mean and variance) not trained.',
  params: {
    momentum: float({ min: 0, max: 1, default: 0.99, step: 0.01, help: 'How slowly the running mean and variance follow each batch' }),
    epsilon: float({ min: 0, minExclusive: true, default: 0.001, step: 0.001, help: 'Small number added to the variance to avoid dividing by zero' }),
  },
  arity: { min: 1, max: 1 },
  example: { params: { momentum: 0.9 }, inputs: [[6, 6, 4]] },
  summary: (p) => `momentum ${p.momentum}`,
  inferShape: (_p, [x]) => [...x],
  countParams: (_p, { inputs: [x] }) => ({ trainable: 2 * x[x.length - 1], nonTrainable: 2 * x[x.length - 1] }),
  paramFormula: (_p, { inputs: [x] }) => {
    const c = x[x.length - 1];
    return `2·${c} + 2·${c} = ${4 * c} (γ, β trained; mean, variance not)`;
  },
  macs: (_p, { output }) => size(output),
  toKeras: (p) => ({ cls: 'layers.BatchNormalization', args: [...kw('momentum', String(p.momentum), p.momentum === 0.99), ...kw('epsilon', String(p.epsilon), p.epsilon === 0.001)] }),
  // PyTorch's momentum is the weight of the new batch: 1 − Keras' momentum. Running mean and
  // variance are buffers, not parameters (Keras' non-trainable weights).
  pytorch: {
    refuse: (_p, { inputs: [x] }) => (x.length > 3 ? `normalising the last axis of a rank-${x.length} tensor ${JSON.stringify(x)} has no BatchNorm module in PyTorch` : null),
    module: (p, { inputs: [x] }) => `nn.BatchNorm${x.length === 3 ? 2 : 1}d(${x[x.length - 1]}, eps=${pyNumber(p.epsilon)}, momentum=${pyNumber(1 - p.momentum)})`,
    forward: (_p, { inputs: [x] }, [a], m) => (x.length === 2 ? `${m}(${a}.transpose(1, 2)).transpose(1, 2)` : `${m}(${a})`),
    weights: (_p, w) => [
      ...entry('weight', weight(w, 'gamma')), ...entry('bias', weight(w, 'beta')),
      ...entry('running_mean', weight(w, 'moving_mean')), ...entry('running_var', weight(w, 'moving_variance')),
    ],
  },
  tfjs: {
    write: (p) => ({
      class_name: 'BatchNormalization',
      config: {
        axis: -1, momentum: p.momentum, epsilon: p.epsilon, center: true, scale: true, beta_initializer: ZEROS,
        gamma_initializer: ONES, moving_mean_initializer: ZEROS, moving_variance_initializer: ONES, beta_regularizer: null,
        gamma_regularizer: null, beta_constraint: null, gamma_constraint: null,
      },
    }),
    reads: ['BatchNormalization'],
    read: (c) => {
      const axis = Array.isArray(c.axis) ? c.axis : [c.axis ?? -1];
      if (!(axis.length === 1 && (axis[0] === -1 || axis[0] === 3))) return { reason: `normalising over axis ${JSON.stringify(c.axis)} is not supported (only the channels axis, -1)` };
      const notes = c.center === false || c.scale === false ? ['center/scale false is not supported; imported with both (2 more weights per channel)'] : [];
      return { params: without({ momentum: c.momentum, epsilon: c.epsilon }, { momentum: 0.99, epsilon: 0.001 }), notes };
    },
  },
  onnx: {
    // ONNX normalises axis 1: the channels of NCHW images and of [N, C]; [N, steps, C] is transposed around it.
    write: (p, { inputs: [x], inShapes: [s] }, w, ctx) => {
      const c = s[s.length - 1];
      const v = (name: string) => ctx.weight(name, [c], weightOf(w, name).values);
      const swap = s.length === 2;
      const input = swap ? ctx.node('Transpose', [x], { perm: { ints: [0, 2, 1] } }) : x;
      const out = ctx.node('BatchNormalization', [input, v('gamma'), v('beta'), v('moving_mean'), v('moving_variance')],
        { epsilon: { f: p.epsilon }, momentum: { f: p.momentum } });
      return swap ? ctx.node('Transpose', [out], { perm: { ints: [0, 2, 1] } }) : out;
    },
    ops: ['BatchNormalization'],
    read: (node, ctx) => {
      const x = ctx.shape(0);
      if (!x || (x.length !== 4 && x.length !== 2)) return { reason: `its input has shape ${JSON.stringify(x)}; only NCHW images and [batch, features] are read` };
      const names = ['gamma', 'beta', 'moving_mean', 'moving_variance'];
      const weights = [];
      for (let i = 0; i < 4; i++) {
        const c = ctx.constant(i + 1);
        if (!c || !c.float || c.values.length !== x[1]) return { reason: `its ${names[i]} is not a constant of ${x[1]} values` };
        weights.push({ name: names[i], shape: [x[1]], values: Float32Array.from(c.values), trainable: i < 2 });
      }
      const epsilon = typeof node.attrs.epsilon === 'number' ? node.attrs.epsilon : 1e-5;
      const momentum = typeof node.attrs.momentum === 'number' ? node.attrs.momentum : 0.9;
      return { layers: [{ type: 'BatchNormalization', params: without({ epsilon, momentum }, { momentum: 0.99, epsilon: 0.001 }), weights }], tensorInputs: [0] };
    },
  },
});
