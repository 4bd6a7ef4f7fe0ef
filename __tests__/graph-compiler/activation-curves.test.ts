/**
 * The activation plots' numbers: each curve equals its formula, and equals tfjs's own activation
 * (the layer tfjs builds for the name) with the derivative from `tf.grad`, at sample points over
 * the plotted range [−6, 6]. Points are kept off the kinks (0 for relu, 6 for relu6, ±2.5 for
 * hardSigmoid), where a derivative is a convention.
 */
import * as tfjs from '@tensorflow/tfjs';
import { activationCurve, CURVE_RANGE, maxoutCurve, MAXOUT_SAMPLE, sampleCurve, softmax, SOFTMAX_SAMPLE, type CurveName } from '@/graph-compiler/activations/curves';
import { ACTIVATIONS } from '@/graph-compiler/params';
import { onCpuBackend } from '../tf-cpu';

const tf = tfjs;
onCpuBackend(tf);

const POINTS = [-5.7, -3.2, -2.6, -1.3, -0.45, -0.05, 0.07, 0.6, 1.9, 2.7, 4.4, 5.5, 5.95];
const ALL: CurveName[] = [...ACTIVATIONS, 'hardSigmoid'];

/** tfjs's own function of x for one of our names (a tensor of points in, of values out). */
function tfjsActivation(name: CurveName, alpha: number): (x: tfjs.Tensor1D) => tfjs.Tensor {
  if (name === 'step') return (x) => tf.step(x, 0);
  if (name === 'leakyRelu') {
    const layer = tf.layers.leakyReLU({ alpha });
    return (x) => layer.apply(x) as tfjs.Tensor;
  }
  if (name === 'softmax') {
    // Each point x becomes the row [x, rest…]; the curve is the first output of each row.
    const rest = tf.tensor1d(SOFTMAX_SAMPLE.slice(1));
    const layer = tf.layers.softmax();
    return (x) => {
      const rows = tf.concat([x.reshape([-1, 1]), tf.tile(rest.reshape([1, -1]), [x.shape[0], 1])], 1);
      return (layer.apply(rows) as tfjs.Tensor2D).slice([0, 0], [-1, 1]).reshape([-1]);
    };
  }
  const layer = tf.layers.activation({ activation: name as never });
  return (x) => layer.apply(x) as tfjs.Tensor;
}

test('every activation the editor offers has a curve, a formula and a caveat', () => {
  for (const name of ALL) {
    const c = activationCurve(name);
    expect(c.caveat.length).toBeGreaterThan(30);
    expect(c.formula).toMatch(/f|softmax/);
    const s = sampleCurve(c);
    expect(s.x[0]).toBe(CURVE_RANGE[0]);
    expect(s.x.at(-1)).toBe(CURVE_RANGE[1]);
    expect([...s.y, ...s.dy].every(Number.isFinite)).toBe(true);
  }
});

test('plotted values equal the formulas', () => {
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  const expected: Record<string, (x: number) => [number, number]> = {
    linear: (x) => [x, 1],
    relu: (x) => [x > 0 ? x : 0, x > 0 ? 1 : 0],
    sigmoid: (x) => [sig(x), sig(x) * (1 - sig(x))],
    tanh: (x) => [Math.tanh(x), 1 / Math.cosh(x) ** 2],
    leakyRelu: (x) => [Math.max(0.1 * x, x), x > 0 ? 1 : 0.1],
    elu: (x) => [x > 0 ? x : Math.exp(x) - 1, x > 0 ? 1 : Math.exp(x)],
    softplus: (x) => [Math.log(1 + Math.exp(x)), sig(x)],
    step: (x) => [x > 0 ? 1 : 0, 0],
  };
  for (const [name, formula] of Object.entries(expected)) {
    const c = activationCurve(name as CurveName, 0.1);
    for (const x of POINTS) {
      const [y, dy] = formula(x);
      expect(c.f(x)).toBeCloseTo(y, 10);
      expect(c.df(x)).toBeCloseTo(dy, 10);
    }
  }
  expect(activationCurve('sigmoid').df(0)).toBe(0.25);
  expect(softmax([1, 2, 3]).reduce((a, b) => a + b)).toBeCloseTo(1, 12);
  expect(softmax([1000, 1000])).toEqual([0.5, 0.5]);
});

test.each(ALL)('%s equals tfjs’s own activation, and its derivative tf.grad', (name) => {
  const alpha = 0.2;
  const c = activationCurve(name, alpha);
  const fn = tfjsActivation(name, alpha);
  const start = tf.memory().numTensors;
  tf.tidy(() => {
    const x = tf.tensor1d(POINTS);
    const y = fn(x).dataSync();
    // The sum's gradient is each point's own derivative: every activation here is elementwise
    // in x (softmax's rows each hold one x).
    const dy = tf.grad((t: tfjs.Tensor) => fn(t as tfjs.Tensor1D).sum())(x).dataSync();
    POINTS.forEach((p, i) => {
      expect(c.f(p)).toBeCloseTo(y[i], 4);
      expect(c.df(p)).toBeCloseTo(dy[i], 4);
    });
  });
  expect(tf.memory().numTensors).toBe(start);
});

test('Maxout is the max of its pieces, with the winning piece’s slope, as tfjs computes it', () => {
  const m = maxoutCurve();
  const w = tf.tensor2d([MAXOUT_SAMPLE.map((p) => p.w)]);
  const b = tf.tensor1d(MAXOUT_SAMPLE.map((p) => p.b));
  const x = tf.tensor2d(POINTS, [POINTS.length, 1]);
  const f = (t: tfjs.Tensor) => tf.max(tf.add(tf.matMul(t as tfjs.Tensor2D, w), b), 1);
  const y = f(x).dataSync();
  const dy = tf.grad((t: tfjs.Tensor) => f(t).sum())(x).dataSync();
  POINTS.forEach((p, i) => {
    expect(m.f(p)).toBeCloseTo(y[i], 5);
    expect(m.df(p)).toBeCloseTo(dy[i], 5);
    expect(m.f(p)).toBe(Math.max(...MAXOUT_SAMPLE.map((q) => q.w * p + q.b)));
  });
  tf.dispose([w, b, x]);
});
