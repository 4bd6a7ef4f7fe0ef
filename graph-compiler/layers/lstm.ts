import { defineLayer } from '../layer-spec';
import {
  gateFormula, gateMacs, gateParams, kerasRecurrentArgs, readRecurrent, recurrentConfig, recurrentParams,
  recurrentPytorch, recurrentSummary, sequenceShape,
} from './recurrent-common';

/** tfjs's LSTM cell for PyTorch: nn.LSTM has two biases per gate and fixed gate functions. */
const LSTM_TORCH = `class KerasLSTM(nn.Module):
    """An LSTM as Keras and tfjs compute it: gates i, f, c, o from one kernel (features, 4·units),
    one recurrent kernel (units, 4·units) and one bias, in Keras' layouts. torch.nn.LSTM has two
    biases and fixed gate functions, so it is not this layer."""

    def __init__(self, features, units, activation="tanh", gate="sigmoid", return_sequences=False,
                 use_bias=True, dropout=0.0, recurrent_dropout=0.0):
        super().__init__()
        self.units, self.return_sequences = units, return_sequences
        self.activation, self.gate = _RNN_FUNCTIONS[activation], _RNN_FUNCTIONS[gate]
        self.dropout, self.recurrent_dropout = dropout, recurrent_dropout
        self.kernel = nn.Parameter(nn.init.xavier_normal_(torch.empty(features, 4 * units)))
        self.recurrent_kernel = nn.Parameter(nn.init.orthogonal_(torch.empty(units, 4 * units)))
        # The forget gate starts open (bias 1), as Keras' unit_forget_bias.
        self.bias = nn.Parameter(torch.cat([torch.zeros(units), torch.ones(units), torch.zeros(2 * units)])) if use_bias else None

    def forward(self, x):
        h = x.new_zeros(x.shape[0], self.units)
        c = x.new_zeros(x.shape[0], self.units)
        x_mask = _rnn_mask(x[:, 0], self.dropout, self.training)
        h_mask = _rnn_mask(h, self.recurrent_dropout, self.training)
        outputs = []
        for t in range(x.shape[1]):
            z = (x[:, t] * x_mask) @ self.kernel + (h * h_mask) @ self.recurrent_kernel
            if self.bias is not None:
                z = z + self.bias
            i, f, g, o = z.chunk(4, dim=1)
            c = self.gate(f) * c + self.gate(i) * self.activation(g)
            h = self.gate(o) * self.activation(c)
            outputs.append(h)
        return torch.stack(outputs, 1) if self.return_sequences else h`;

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
  pytorch: recurrentPytorch('KerasLSTM', LSTM_TORCH),
  tfjs: {
    // unit_forget_bias: the forget gate starts open (bias 1), as in Keras; tfjs leaves it off by default.
    write: (p) => ({ class_name: 'LSTM', config: recurrentConfig(p, { beforeRegularizers: { unit_forget_bias: true } }) }),
    reads: ['LSTM'],
    read: (c) => {
      const notes: string[] = [];
      return { params: readRecurrent(c, notes), notes };
    },
  },
  onnx: {
    write: () => ({ reason: 'the ONNX export does not write recurrent layers yet' }),
  },
});
