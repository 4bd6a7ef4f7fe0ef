import { thousands } from '../format';
import { defineLayer } from '../layer-spec';
import {
  gateFormula, gateMacs, gateParams, kerasRecurrentArgs, readRecurrent, recurrentConfig, recurrentParams,
  recurrentPytorch, recurrentSummary, sequenceShape,
} from './recurrent-common';

/** tfjs's GRU cell (reset gate before the recurrent kernel) for PyTorch, whose nn.GRU resets after it. */
const GRU_TORCH = `class KerasGRU(nn.Module):
    """A GRU as tfjs computes it (Keras' reset_after=False): gates z, r, h from one kernel
    (features, 3·units), one recurrent kernel (units, 3·units) and one bias, the reset gate
    applied to the state before the recurrent kernel. torch.nn.GRU applies it after, with two
    biases, so it is not this layer."""

    def __init__(self, features, units, activation="tanh", gate="sigmoid", return_sequences=False,
                 use_bias=True, dropout=0.0, recurrent_dropout=0.0):
        super().__init__()
        self.units, self.return_sequences = units, return_sequences
        self.activation, self.gate = _RNN_FUNCTIONS[activation], _RNN_FUNCTIONS[gate]
        self.dropout, self.recurrent_dropout = dropout, recurrent_dropout
        self.kernel = nn.Parameter(nn.init.xavier_normal_(torch.empty(features, 3 * units)))
        self.recurrent_kernel = nn.Parameter(nn.init.orthogonal_(torch.empty(units, 3 * units)))
        self.bias = nn.Parameter(torch.zeros(3 * units)) if use_bias else None

    def forward(self, x):
        h = x.new_zeros(x.shape[0], self.units)
        x_mask = _rnn_mask(x[:, 0], self.dropout, self.training)
        h_mask = _rnn_mask(h, self.recurrent_dropout, self.training)
        u_z, u_r, u_h = self.recurrent_kernel.chunk(3, dim=1)
        outputs = []
        for t in range(x.shape[1]):
            xz = (x[:, t] * x_mask) @ self.kernel
            if self.bias is not None:
                xz = xz + self.bias
            x_z, x_r, x_h = xz.chunk(3, dim=1)
            hm = h * h_mask
            z = self.gate(x_z + hm @ u_z)
            r = self.gate(x_r + hm @ u_r)
            h = z * h + (1 - z) * self.activation(x_h + (r * hm) @ u_h)
            outputs.append(h)
        return torch.stack(outputs, 1) if self.return_sequences else h`;

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
  pytorch: recurrentPytorch('KerasGRU', GRU_TORCH),
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
  onnx: {
    write: () => ({ reason: 'the ONNX export does not write recurrent layers yet' }),
  },
});
