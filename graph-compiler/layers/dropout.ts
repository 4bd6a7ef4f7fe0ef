import { defineLayer } from '../layer-spec';
import { float } from '../params';
import { pyNumber } from '../interop/pytorch-form';

/** Randomly zeroes inputs while training. */
export const dropout = defineLayer({
  type: 'Dropout',
  category: 'regularization',
  keywords: 'regularization overfitting',
  description: 'While training, sets a random fraction `rate` of its inputs to 0 (and scales up the rest), so that units cannot rely on each other: a cure for overfitting. Does nothing at test time.',
  params: {
    rate: float({ min: 0, max: 1, maxExclusive: true, required: true, initial: 0.5, step: 0.05, help: 'Fraction of inputs dropped while training, 0 ≤ rate < 1' }),
  },
  arity: { min: 1, max: 1 },
  example: { params: { rate: 0.25 }, inputs: [[10]] },
  keepsActivation: true,
  summary: (p) => `rate ${p.rate}`,
  inferShape: (_p, [x]) => [...x],
  toKeras: (p) => ({ cls: 'layers.Dropout', args: [String(p.rate)] }),
  pytorch: {
    module: (p) => `nn.Dropout(${pyNumber(p.rate)})`,
  },
  tfjs: {
    write: (p) => ({ class_name: 'Dropout', config: { rate: p.rate, noise_shape: null, seed: null } }),
    reads: ['Dropout'],
    read: (c) => ({ params: { rate: c.rate } }),
  },
  onnx: {
    write: (p, { inputs: [x] }, _w, ctx) => ctx.node('Dropout', [x, ctx.constant('ratio', [], [p.rate], 'float')]),
    ops: ['Dropout'],
    read: (node, ctx) => {
      const ratio = ctx.constant(1)?.values[0] ?? (typeof node.attrs.ratio === 'number' ? node.attrs.ratio : 0.5);
      return { layers: [{ type: 'Dropout', params: { rate: Number(Number(ratio).toPrecision(7)) } }], tensorInputs: [0] };
    },
  },
});
