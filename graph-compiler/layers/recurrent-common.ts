/**
 * What LSTM and GRU share: their params, the sequence-shape rule, the config tfjs-layers 4.22
 * writes for both, and reading it back. Each type is still its own module (lstm.ts, gru.ts) that
 * fills in its gates and its weight count.
 */
import { kw, pyBool, pyRegularizer, pyStr } from '../emit/python';
import { activationName, GLOROT_NORMAL, regularizer, regularizerFactors, without, ZEROS, type Obj } from '../interop/keras-config';
import { fmtShape, thousands, type ShapeContext } from '../layer-spec';
import { bool, choice, float, int, regularizerParams } from '../params';
import type { Shape } from '../types';
import { entry, pyNumber, weight, type PytorchForm } from '../interop/pytorch-form';

/** Activations a recurrent cell may apply to its candidate and output (tfjs and Keras name them alike). */
const CELL_ACTIVATIONS = ['tanh', 'relu', 'sigmoid', 'softsign', 'elu', 'linear'] as const;

/**
 * Gate activations. tfjs-layers 4.22 defaults to `hard_sigmoid` where Keras 3 defaults to
 * `sigmoid`; both are always written out, so the tfjs model and the Keras script agree.
 */
const GATE_ACTIVATIONS = ['sigmoid', 'hardSigmoid'] as const;

/** Starting values of the recurrent kernel. */
const RECURRENT_INITIALIZERS = ['orthogonal', 'glorotUniform'] as const;

const RECURRENT_INITIALIZER_CONFIGS: Record<string, Obj> = {
  orthogonal: { class_name: 'Orthogonal', config: { gain: 1, seed: null } },
  glorotUniform: { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: null } },
};

/**
 * Our name of a serialised recurrent initializer (tfjs, Keras 2 and Keras 3 spellings: Keras 3
 * writes `OrthogonalInitializer`), or undefined when there is none or it is another one.
 */
function recurrentInitializerName(v: unknown): string | undefined {
  const o = typeof v === 'string' ? { class_name: v } : (v as Obj | null | undefined);
  if (!o || typeof o !== 'object' || typeof o.class_name !== 'string') return undefined;
  const cls = o.class_name.replace(/Initializer$/, '').toLowerCase().replace(/_/g, '');
  const cfg = (o.config ?? {}) as Obj;
  if (cls === 'orthogonal') return 'orthogonal';
  if (cls === 'glorotuniform' || (cls === 'variancescaling' && cfg.mode === 'fan_avg' && cfg.distribution === 'uniform' && (cfg.scale ?? 1) === 1)) return 'glorotUniform';
  return undefined;
}

export const recurrentParams = {
  units: int({ min: 1, required: true, initial: 32, help: 'Size of the hidden state: the number of values the layer outputs per step' }),
  activation: choice(CELL_ACTIVATIONS, { default: 'tanh', help: 'Function applied to the candidate state and the output' }),
  recurrentActivation: choice(GATE_ACTIVATIONS, {
    default: 'sigmoid', advanced: true,
    help: 'Function of the gates (0 = closed, 1 = open): sigmoid as in Keras, or hardSigmoid, clip(0.2·x + 0.5, 0, 1), the tfjs default',
  }),
  returnSequences: bool({ default: false, help: 'Output the hidden state of every step [timesteps, units] (to stack another recurrent layer), not only the last one [units]' }),
  useBias: bool({ default: true, advanced: true, help: 'Add a learned bias to each gate' }),
  recurrentInitializer: choice(RECURRENT_INITIALIZERS, {
    default: 'orthogonal', advanced: true,
    help: 'Starting values of the state-to-state weights: orthogonal as in Keras (tfjs computes it slowly: seconds from about 64 units), or glorotUniform (instant)',
  }),
  dropout: float({ min: 0, max: 1, maxExclusive: true, default: 0, step: 0.05, advanced: true, help: 'Fraction of the inputs dropped while training, 0 ≤ dropout < 1' }),
  recurrentDropout: float({ min: 0, max: 1, maxExclusive: true, default: 0, step: 0.05, advanced: true, help: 'Fraction of the recurrent state dropped while training, 0 ≤ recurrentDropout < 1' }),
  ...regularizerParams,
};

/** The validated params of LSTM and GRU. */
export interface RecurrentParams {
  units: number;
  activation: string;
  recurrentActivation: string;
  returnSequences: boolean;
  useBias: boolean;
  recurrentInitializer: string;
  dropout: number;
  recurrentDropout: number;
  l1: number;
  l2: number;
}

/** `[784]` → `[28, 28]`: the most square [timesteps, features] with the same number of values. */
function squarest(n: number): [number, number] {
  let d = Math.floor(Math.sqrt(n));
  while (n % d !== 0) d--;
  return [n / d, d];
}

/** Output shape of a recurrent layer, or null with an error a student understands. */
export function sequenceShape(type: string, p: RecurrentParams, x: Shape, ctx: ShapeContext): Shape | null {
  if (x.length !== 2) {
    const target = x.length === 1 ? squarest(x[0]) : [x[0], x.slice(1).reduce((a, b) => a * b, 1)];
    const what = x.length === 1 ? ' (a flat vector)' : x.length === 3 ? ' (an image: rows can be the timesteps)' : '';
    ctx.error('input-rank',
      `${type} needs a sequence [timesteps, features], one row of features per step, but its input is ${fmtShape(x)}${what}. Add a Reshape to ${fmtShape(target)} before it${x.length === 1 ? ' (or feed it from an Embedding of token ids)' : ''}.`);
    return null;
  }
  return p.returnSequences ? [x[0], p.units] : [p.units];
}

/** `4·(64·(28 + 64) + 64) = 23,808` for `gates` = 4, 3 or (GRU, its own bias form) a custom bias term. */
export function gateFormula(gates: number, p: RecurrentParams, features: number, total: number): string {
  const w = `${p.units}·(${features} + ${p.units})`;
  return p.useBias ? `${gates}·(${w} + ${p.units}) = ${thousands(total)}` : `${gates}·${w} = ${thousands(total)}`;
}

/** The gate weights of `gates` gates: kernel, recurrent kernel and (optionally) one bias each. */
export function gateParams(gates: number, p: RecurrentParams, features: number): number {
  return gates * (p.units * (features + p.units) + (p.useBias ? p.units : 0));
}

/** Multiply-adds per example: every step multiplies its input and the state by each gate's weights. */
export function gateMacs(gates: number, p: RecurrentParams, x: Shape): number {
  return x[0] * gates * p.units * (x[1] + p.units);
}

const tfjsGate = (a: string) => (a === 'hardSigmoid' ? 'hard_sigmoid' : a);

/** The config tfjs-layers 4.22 writes for LSTM and GRU; `cell` holds the type's own keys, placed as tfjs places them. */
export function recurrentConfig(p: RecurrentParams, cell: { beforeRegularizers?: Obj; beforeSequences?: Obj }): Obj {
  return {
    units: p.units, activation: p.activation, recurrent_activation: tfjsGate(p.recurrentActivation), use_bias: p.useBias,
    kernel_initializer: GLOROT_NORMAL, recurrent_initializer: RECURRENT_INITIALIZER_CONFIGS[p.recurrentInitializer],
    bias_initializer: ZEROS, ...cell.beforeRegularizers,
    kernel_regularizer: regularizer(p), recurrent_regularizer: null, bias_regularizer: null, activity_regularizer: null,
    kernel_constraint: null, recurrent_constraint: null, bias_constraint: null,
    dropout: p.dropout, recurrent_dropout: p.recurrentDropout, implementation: null, ...cell.beforeSequences,
    return_sequences: p.returnSequences, return_state: false, go_backwards: false, stateful: false, unroll: false,
  };
}

const DEFAULTS = { activation: 'tanh', recurrentActivation: 'sigmoid', returnSequences: false, useBias: true, recurrentInitializer: 'orthogonal', dropout: 0, recurrentDropout: 0 };

/** Params and notes from a tfjs, Keras 2 or Keras 3 LSTM/GRU config. */
export function readRecurrent(c: Obj, notes: string[]): Obj {
  if (c.return_state === true) notes.push('return_state is not supported; only the main output is imported');
  if (c.go_backwards === true) notes.push('go_backwards is not supported; imported reading the sequence forwards');
  if (c.stateful === true) notes.push('stateful is not supported; imported as stateless (the state starts at zero for every sequence)');
  const gate = activationName(c.recurrent_activation);
  const init = recurrentInitializerName(c.recurrent_initializer);
  if (c.recurrent_initializer != null && init === undefined) notes.push('its recurrent_initializer is read as orthogonal (Layerboard offers orthogonal and glorotUniform)');
  return without({
    units: c.units,
    activation: activationName(c.activation),
    // A config without it is hand-written: Keras' default.
    recurrentActivation: gate === 'hard_sigmoid' || gate === 'hardSigmoid' ? 'hardSigmoid' : gate,
    returnSequences: c.return_sequences,
    useBias: c.use_bias,
    recurrentInitializer: init,
    dropout: c.dropout,
    recurrentDropout: c.recurrent_dropout,
    ...regularizerFactors(c.kernel_regularizer),
  }, DEFAULTS);
}

/**
 * Keras 3 arguments of LSTM and GRU after `units`. Keras 3's own `hard_sigmoid` is relu6(x + 3)/6,
 * not tfjs' clip(0.2·x + 0.5, 0, 1), so tfjs' function is written out.
 */
export function kerasRecurrentArgs(p: RecurrentParams): string[] {
  return [
    ...kw('activation', pyStr(p.activation), p.activation === 'tanh'),
    ...kw('recurrent_activation', 'lambda x: keras.ops.clip(0.2 * x + 0.5, 0.0, 1.0)', p.recurrentActivation === 'sigmoid'),
    ...kw('use_bias', pyBool(p.useBias), p.useBias),
    ...kw('recurrent_initializer', pyStr('glorot_uniform'), p.recurrentInitializer !== 'glorotUniform'),
    ...kw('dropout', String(p.dropout), p.dropout === 0),
    ...kw('recurrent_dropout', String(p.recurrentDropout), p.recurrentDropout === 0),
    ...kw('return_sequences', pyBool(p.returnSequences), !p.returnSequences),
    ...pyRegularizer(p),
  ];
}

/** `64 units · sequences`: the node face of a recurrent layer. */
export function recurrentSummary(p: RecurrentParams): string {
  return `${p.units} units${p.activation !== 'tanh' ? ` · ${p.activation}` : ''}${p.returnSequences ? ' · sequences' : ''}`;
}

const RNN_FUNCTIONS = `_RNN_FUNCTIONS = {
    "tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu, "softsign": F.softsign, "elu": F.elu,
    "linear": lambda x: x,
    "hardSigmoid": lambda x: torch.clamp(0.2 * x + 0.5, 0.0, 1.0),  # tfjs's hard_sigmoid
}`;

const RNN_MASK = `def _rnn_mask(like, rate, training):
    """One dropout mask per sequence, the same at every step, as Keras drops a recurrent layer's inputs."""
    if not training or rate == 0:
        return 1.0
    return F.dropout(torch.ones_like(like), rate, True)`;

/**
 * The PyTorch form of LSTM and GRU: the module class `cls` (Python `source`, written by the
 * type's module) holds the weights in Keras' layouts under tfjs's names, so they copy as they are.
 */
export function recurrentPytorch(cls: string, source: string): PytorchForm<RecurrentParams> {
  return {
    module: (p, { inputs: [x] }) => {
      const args = [String(x[1]), String(p.units), `activation=${pyStr(p.activation)}`, `gate=${pyStr(p.recurrentActivation)}`];
      if (p.returnSequences) args.push('return_sequences=True');
      if (!p.useBias) args.push('use_bias=False');
      if (p.dropout > 0) args.push(`dropout=${pyNumber(p.dropout)}`);
      if (p.recurrentDropout > 0) args.push(`recurrent_dropout=${pyNumber(p.recurrentDropout)}`);
      return `${cls}(${args.join(', ')})`;
    },
    weights: (_p, w) => [...entry('kernel', weight(w, 'kernel')), ...entry('recurrent_kernel', weight(w, 'recurrent_kernel')), ...entry('bias', weight(w, 'bias'))],
    penalized: () => ['kernel'],
    helpers: () => ({ _RNN_FUNCTIONS: RNN_FUNCTIONS, _rnn_mask: RNN_MASK, [cls]: source }),
  };
}
