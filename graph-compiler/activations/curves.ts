/**
 * Activation functions as plain numbers: f(x) and f′(x) for every activation the editor offers,
 * each with the course's caveat, so that the inspector can plot a function beside its derivative
 * without tfjs. The formulas are those tfjs computes (checked against tfjs and `tf.grad` in the
 * tests): gelu is the exact erf form, hardSigmoid is clip(0.2x + 0.5, 0, 1), selu uses tfjs's
 * constants, and the gradient at a kink (relu at 0, step at 0) is the one tfjs gives.
 */
import type { ActivationName } from '../params';

/** Every curve there is: the activation names, and hardSigmoid (a recurrent activation). */
export type CurveName = ActivationName | 'hardSigmoid';

export interface ActivationCurve {
  name: CurveName;
  /** The function, as a formula in words a student reads. */
  formula: string;
  f(x: number): number;
  /** Its derivative df/dx. */
  df(x: number): number;
  /** What the course says about it: saturation, dead units, zero-centredness, how it trains. */
  caveat: string;
}

/** The x range every plot covers. */
export const CURVE_RANGE: readonly [number, number] = [-6, 6];

/** The logits softmax is shown on: the plot varies the first, the others stay as they are. */
export const SOFTMAX_SAMPLE: readonly number[] = [0, 1, 0.1, -1];

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** erf to about 1e-7 (Abramowitz and Stegun 7.1.26, as tfjs's own erf kernel computes it). */
export function erf(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}

/** softmax of a vector, shifted by its maximum so that large logits do not overflow. */
export function softmax(v: readonly number[]): number[] {
  const m = Math.max(...v);
  const e = v.map((x) => Math.exp(x - m));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
}

/** softmax's first output as its first logit is x and the rest are `rest`: e^x / (e^x + Σ e^r). */
function softmaxFirst(rest: readonly number[]): (x: number) => number {
  return (x) => softmax([x, ...rest])[0];
}

const SATURATES = 'It saturates: for large |x| its slope is almost 0, so the gradient vanishes and layers before it stop learning.';

/**
 * The curve of one activation (leakyRelu with its `alpha`, the slope for x < 0).
 *
 * @example
 * const c = activationCurve('sigmoid');
 * c.f(0); // 0.5
 * c.df(0); // 0.25, the most a sigmoid ever passes back
 */
export function activationCurve(name: CurveName, alpha = 0.01): ActivationCurve {
  switch (name) {
    case 'linear':
      return { name, formula: 'f(x) = x', f: (x) => x, df: () => 1, caveat: 'No non-linearity: a stack of linear layers is still one linear map, however deep.' };
    case 'relu':
      return {
        name, formula: 'f(x) = max(0, x)', f: (x) => Math.max(0, x), df: (x) => (x > 0 ? 1 : 0),
        caveat: 'Does not saturate for x > 0 and is cheap, but a unit whose input stays negative passes no gradient and can die (never fire again).',
      };
    case 'relu6':
      return {
        name, formula: 'f(x) = min(max(0, x), 6)', f: (x) => Math.min(Math.max(0, x), 6), df: (x) => (x > 0 && x < 6 ? 1 : 0),
        caveat: 'ReLU capped at 6 (for low-precision mobile nets): it can die like ReLU, and its gradient is also 0 above 6.',
      };
    case 'leakyRelu':
      return {
        name, formula: `f(x) = max(${alpha}·x, x)`, f: (x) => (x > 0 ? x : alpha * x), df: (x) => (x > 0 ? 1 : alpha),
        caveat: alpha > 0
          ? `Like ReLU, but with slope ${alpha} for x < 0 (the course uses max(0.1x, x)): the gradient is never 0, so units do not die.`
          : 'With alpha 0 this is ReLU: units can die. Give it a small slope such as 0.1.',
      };
    case 'elu':
      return {
        name, formula: 'f(x) = x for x > 0, else eˣ − 1', f: (x) => (x > 0 ? x : Math.expm1(x)), df: (x) => (x > 0 ? 1 : Math.exp(x)),
        caveat: 'ReLU’s benefits, outputs closer to zero-mean, and no dead units; it saturates to −1 for very negative x, and eˣ costs more.',
      };
    case 'selu':
      return {
        name, formula: `f(x) = ${SELU_SCALE.toFixed(4)}·(x for x > 0, else ${SELU_ALPHA.toFixed(4)}·(eˣ − 1))`,
        f: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
        df: (x) => SELU_SCALE * (x > 0 ? 1 : SELU_ALPHA * Math.exp(x)),
        caveat: 'A scaled ELU that keeps activations normalised through a deep plain stack (with lecun-normal weights); saturates for very negative x.',
      };
    case 'softplus':
      return {
        name, formula: 'f(x) = ln(1 + eˣ)', f: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))), df: sigmoid,
        caveat: 'A smooth ReLU whose derivative is the sigmoid: never exactly 0, but tiny for very negative x.',
      };
    case 'softsign':
      return {
        name, formula: 'f(x) = x / (1 + |x|)', f: (x) => x / (1 + Math.abs(x)), df: (x) => 1 / (1 + Math.abs(x)) ** 2,
        caveat: `Zero-centred like tanh, and approaches its limits more slowly. ${SATURATES}`,
      };
    case 'sigmoid':
      return {
        name, formula: 'f(x) = 1 / (1 + e⁻ˣ)', f: sigmoid, df: (x) => sigmoid(x) * (1 - sigmoid(x)),
        caveat: `${SATURATES} Its slope is at most 0.25, so gradients shrink layer by layer, and its outputs are not zero-centred (always positive).`,
      };
    case 'hardSigmoid':
      return {
        name, formula: 'f(x) = clip(0.2·x + 0.5, 0, 1)', f: (x) => Math.min(1, Math.max(0, 0.2 * x + 0.5)), df: (x) => (x > -2.5 && x < 2.5 ? 0.2 : 0),
        caveat: 'A cheap straight-line sigmoid: its gradient is exactly 0 beyond ±2.5, and it is not zero-centred.',
      };
    case 'tanh':
      return {
        name, formula: 'f(x) = tanh(x)', f: Math.tanh, df: (x) => 1 - Math.tanh(x) ** 2,
        caveat: `Zero-centred (outputs in −1…1), which trains better than sigmoid. ${SATURATES}`,
      };
    case 'swish':
      return {
        name, formula: 'f(x) = x · sigmoid(x)', f: (x) => x * sigmoid(x), df: (x) => sigmoid(x) * (1 + x * (1 - sigmoid(x))),
        caveat: 'Smooth and non-monotonic (dips below 0 near x = −1.3); like ReLU it does not saturate for x > 0, and its gradient is small but not 0 for x < 0.',
      };
    case 'gelu': {
      const cdf = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));
      const pdf = (x: number) => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
      return {
        name, formula: 'f(x) = x · Φ(x)   (Φ: the normal distribution’s CDF)', f: (x) => x * cdf(x), df: (x) => cdf(x) + x * pdf(x),
        caveat: 'A smooth ReLU used in Transformers: weights each input by how likely it is to be positive. Does not saturate for x > 0.',
      };
    }
    case 'step':
      return {
        name, formula: 'f(x) = 1 for x > 0, else 0', f: (x) => (x > 0 ? 1 : 0), df: () => 0,
        caveat: 'The perceptron’s threshold. Its gradient is 0 everywhere, so backpropagation cannot train through it: a single step unit is trained by the perceptron rule (w ← w + η·(y − ŷ)·x).',
      };
    case 'softmax': {
      const rest = SOFTMAX_SAMPLE.slice(1);
      const f = softmaxFirst(rest);
      return {
        name, formula: `softmaxᵢ(z) = e^zᵢ / Σⱼ e^zⱼ  (plotted: output 1 as z₁ = x, z₂…z₄ = ${rest.join(', ')})`,
        f, df: (x) => f(x) * (1 - f(x)),
        caveat: 'Turns the last axis into probabilities that sum to 1 (for the output layer with cross-entropy). Each output saturates like a sigmoid when one logit dominates.',
      };
    }
  }
}

/** One affine piece of a Maxout unit: w·x + b. */
export interface MaxoutPiece { w: number; b: number }

/** The pieces the Maxout plot shows: max(−0.5x, x) is a leaky ReLU, and a third piece bends it. */
export const MAXOUT_SAMPLE: readonly MaxoutPiece[] = [{ w: -0.5, b: 0 }, { w: 1, b: 0 }, { w: 0.25, b: 2 }];

/** Maxout over 1-D pieces: f(x) = maxᵢ(wᵢ·x + bᵢ), f′(x) = the slope of the piece that wins. */
export function maxoutCurve(pieces: readonly MaxoutPiece[] = MAXOUT_SAMPLE): { f(x: number): number; df(x: number): number; caveat: string; formula: string } {
  const best = (x: number) => pieces.reduce((a, p) => (p.w * x + p.b > a.w * x + a.b ? p : a), pieces[0]);
  return {
    formula: `f(x) = max(${pieces.map((p) => `${p.w}x${p.b ? ` + ${p.b}` : ''}`).join(', ')})`,
    f: (x) => { const p = best(x); return p.w * x + p.b; },
    df: (x) => best(x).w,
    caveat: 'max(w1ᵀx + b1, w2ᵀx + b2, …): learns its own piecewise-linear activation, generalises ReLU and leaky ReLU, never saturates or dies, at the cost of k times the weights.',
  };
}

/** Samples f and f′ at `n` evenly spaced points over the plot's range. */
export function sampleCurve(c: { f(x: number): number; df(x: number): number }, n = 121, range: readonly [number, number] = CURVE_RANGE): { x: number[]; y: number[]; dy: number[] } {
  const x = Array.from({ length: n }, (_, i) => range[0] + ((range[1] - range[0]) * i) / (n - 1));
  return { x, y: x.map((v) => c.f(v)), dy: x.map((v) => c.df(v)) };
}
