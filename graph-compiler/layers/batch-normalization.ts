import { kw } from '../emit/python';
import { defineLayer, size } from '../layer-spec';
import { float } from '../params';

/** Normalises each channel over the batch. */
export const batchNormalization = defineLayer({
  type: 'BatchNormalization',
  category: 'normalization',
  description: 'Normalises each channel to mean 0 and variance 1 over the batch, then scales and shifts it with learned γ and β. Trains faster and more stably. 4 numbers per channel, 2 of them (the running mean and variance) not trained.',
  params: {
    momentum: float({ min: 0, max: 1, default: 0.99, step: 0.01, help: 'How slowly the running mean and variance follow each batch' }),
    epsilon: float({ min: 0, minExclusive: true, default: 0.001, step: 0.001, help: 'Small number added to the variance to avoid dividing by zero' }),
  },
  arity: { min: 1, max: 1 },
  summary: (p) => `momentum ${p.momentum}`,
  inferShape: (_p, [x]) => [...x],
  countParams: (_p, { inputs: [x] }) => ({ trainable: 2 * x[x.length - 1], nonTrainable: 2 * x[x.length - 1] }),
  paramFormula: (_p, { inputs: [x] }) => {
    const c = x[x.length - 1];
    return `2·${c} + 2·${c} = ${4 * c} (γ, β trained; mean, variance not)`;
  },
  macs: (_p, { output }) => size(output),
  toKeras: (p) => ({ cls: 'layers.BatchNormalization', args: [...kw('momentum', String(p.momentum), p.momentum === 0.99), ...kw('epsilon', String(p.epsilon), p.epsilon === 0.001)] }),
  toTfjs: (tf, p, name) => tf.layers.batchNormalization({ name, momentum: p.momentum, epsilon: p.epsilon }),
});
