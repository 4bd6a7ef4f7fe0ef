import { defineLayer } from '../layer-spec';
import {
  gateFormula, gateMacs, gateParams, kerasRecurrentArgs, readRecurrent, recurrentConfig, recurrentParams,
  recurrentSummary, sequenceShape,
} from './recurrent-common';

/** Long short-term memory: a recurrent layer with input, forget and output gates. */
export const lstm = defineLayer({
  type: 'LSTM',
  category: 'recurrent',
  keywords: 'recurrent rnn long short-term memory sequence time series text',
  description: 'Reads a sequence [timesteps, features] one step at a time, carrying a memory from step to step; its gates learn what to keep, forget and output. Gives the last step’s state [units], or every step’s [timesteps, units] with returnSequences. 4 gates, each with weights for the input and for the state.',
  params: recurrentParams,
  arity: { min: 1, max: 1 },
  example: { params: { units: 6, returnSequences: true, l2: 0.01 }, inputs: [[5, 3]] },
  summary: recurrentSummary,
  inferShape: (p, [x], ctx) => sequenceShape('LSTM', p, x, ctx),
  countParams: (p, { inputs: [x] }) => ({ trainable: gateParams(4, p, x[1]), nonTrainable: 0 }),
  paramFormula: (p, { inputs: [x] }) => gateFormula(4, p, x[1], gateParams(4, p, x[1])),
  macs: (p, { inputs: [x] }) => gateMacs(4, p, x),
  toKeras: (p) => ({ cls: 'layers.LSTM', args: [String(p.units), ...kerasRecurrentArgs(p)] }),
  tfjs: {
    // unit_forget_bias: the forget gate starts open (bias 1), as in Keras; tfjs leaves it off by default.
    write: (p) => ({ class_name: 'LSTM', config: recurrentConfig(p, { beforeRegularizers: { unit_forget_bias: true } }) }),
    reads: ['LSTM'],
    read: (c) => {
      const notes: string[] = [];
      return { params: readRecurrent(c, notes), notes };
    },
  },
});
