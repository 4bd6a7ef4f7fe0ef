import { thousands } from '../format';
import { defineLayer } from '../layer-spec';
import {
  gateFormula, gateMacs, gateParams, kerasRecurrentArgs, readRecurrent, recurrentConfig, recurrentParams,
  recurrentSummary, sequenceShape,
} from './recurrent-common';

/**
 * Gated recurrent unit, as tfjs-layers has it: the reset gate applied before the recurrent
 * matrix product (Keras' `reset_after=False`, one bias per gate). tfjs has no `reset_after=True`,
 * Keras 3's default, which adds a second bias per gate; the Keras script asks for False.
 */
export const gru = defineLayer({
  type: 'GRU',
  category: 'recurrent',
  keywords: 'recurrent rnn gated recurrent unit sequence time series text',
  description: 'Reads a sequence [timesteps, features] one step at a time, carrying a state from step to step; an update gate decides how much of the state to replace, a reset gate how much of it to use. A lighter LSTM: 3 gates instead of 4. Gives the last step’s state [units], or every step’s [timesteps, units] with returnSequences.',
  params: recurrentParams,
  arity: { min: 1, max: 1 },
  example: { params: { units: 4, recurrentActivation: 'hardSigmoid' }, inputs: [[7, 2]] },
  summary: recurrentSummary,
  inferShape: (p, [x], ctx) => sequenceShape('GRU', p, x, ctx),
  countParams: (p, { inputs: [x] }) => ({ trainable: gateParams(3, p, x[1]), nonTrainable: 0 }),
  paramFormula: (p, { inputs: [x] }) => gateFormula(3, p, x[1], gateParams(3, p, x[1])),
  macs: (p, { inputs: [x] }) => gateMacs(3, p, x),
  toKeras: (p) => ({ cls: 'layers.GRU', args: [String(p.units), ...kerasRecurrentArgs(p), 'reset_after=False'] }),
  tfjs: {
    write: (p) => ({ class_name: 'GRU', config: recurrentConfig(p, { beforeSequences: { reset_after: false } }) }),
    reads: ['GRU'],
    read: (c) => {
      const notes: string[] = [];
      const params = readRecurrent(c, notes);
      if (c.reset_after === true) {
        const units = typeof c.units === 'number' ? c.units : undefined;
        notes.push(`reset_after true (the Keras 3 default) is not supported by tfjs; imported with reset_after false, which has one bias per gate instead of two${units ? ` (${thousands(3 * units)} fewer weights)` : ''}`);
      }
      return { params, notes };
    },
  },
});
