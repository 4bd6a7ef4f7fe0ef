/**
 * The tfjs emitter: multi-input/multi-output models build, predict and train; our own layers
 * (Maxout, Step, LeakyReLU with our default slope) compute what they should and survive a
 * save/load round trip; the l1/l2 factors become exactly the regularization asked for.
 */
import * as tf from '@tensorflow/tfjs';
import { compile, registerCustomLayers, toTfjsModel, type CompileResult, type GraphDocument } from '@/graph-compiler';

tf.env().set('PROD', true);

type N = [id: string, type: string, params?: Record<string, unknown>];

function doc(nodes: N[], edges: [string, string][]): GraphDocument {
  return {
    format: 'layerboard.graph',
    version: 1,
    nodes: nodes.map(([id, type, params = {}]) => ({ id, type, params })),
    edges: edges.map(([source, target]) => ({ source, target })),
  };
}

/** A chain: each node feeds the next. */
function chain(nodes: N[]): GraphDocument {
  return doc(nodes, nodes.slice(1).map((n, i) => [nodes[i][0], n[0]]));
}

function compiled(d: GraphDocument): CompileResult {
  const r = compile(d);
  expect(r.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
  return r;
}

const asList = (y: tf.Tensor | tf.Tensor[]) => (Array.isArray(y) ? y : [y]);

afterEach(() => {
  tf.disposeVariables();
});

describe('multi-input, multi-output graphs', () => {
  // vec and img enter; cls (softmax over 3) and score (sigmoid) leave, in document order.
  const d = doc(
    [
      ['vec', 'Input', { shape: [5] }],
      ['img', 'Input', { shape: [8, 8, 1] }],
      ['conv', 'Conv2D', { filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }],
      ['pool', 'MaxPooling2D', {}],
      ['flat', 'Flatten'],
      ['dv', 'Dense', { units: 8, activation: 'relu' }],
      ['cat', 'Concatenate'],
      ['cls', 'Dense', { units: 3, activation: 'softmax' }],
      ['score', 'Dense', { units: 1, activation: 'sigmoid' }],
    ],
    [['img', 'conv'], ['conv', 'pool'], ['pool', 'flat'], ['vec', 'dv'], ['flat', 'cat'], ['dv', 'cat'], ['cat', 'cls'], ['dv', 'score']],
  );

  test('inputs and outputs follow document order, with the compiled shapes', async () => {
    const r = compiled(d);
    expect(r.inputs).toEqual(['vec', 'img']);
    expect(r.outputs).toEqual(['cls', 'score']);
    expect(r.nodes.cat.outputShape).toEqual([72]);
    const model = await toTfjsModel(tf, r);
    expect(model.inputs.map((x) => x.shape.slice(1))).toEqual([[5], [8, 8, 1]]);
    expect(model.outputs.map((x) => x.shape.slice(1))).toEqual([[3], [1]]);
    expect(model.countParams()).toBe(r.totals.totalParams);
    model.dispose();
  });

  test('predicts one tensor per output, in order', async () => {
    const model = await toTfjsModel(tf, compiled(d));
    const ys = asList(model.predict([tf.randomNormal([2, 5], 0, 1, 'float32', 1), tf.randomNormal([2, 8, 8, 1], 0, 1, 'float32', 2)]));
    expect(ys.map((y) => y.shape)).toEqual([[2, 3], [2, 1]]);
    const sums = ys[0].sum(1).arraySync() as number[];
    sums.forEach((s) => expect(s).toBeCloseTo(1, 5));
    (ys[1].arraySync() as number[][]).forEach(([p]) => expect(p > 0 && p < 1).toBe(true));
    tf.dispose(ys);
    model.dispose();
  });

  test('trains with one loss per output', async () => {
    const model = await toTfjsModel(tf, compiled(d));
    model.compile({ optimizer: 'sgd', loss: ['categoricalCrossentropy', 'binaryCrossentropy'] });
    const xs = [tf.randomNormal([4, 5], 0, 1, 'float32', 3), tf.randomNormal([4, 8, 8, 1], 0, 1, 'float32', 4)];
    const ys = [tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3).toFloat(), tf.tensor2d([[0], [1], [1], [0]])];
    const h = await model.fit(xs, ys, { epochs: 1, batchSize: 2, verbose: 0 });
    expect(Number.isFinite(h.history.loss[0] as number)).toBe(true);
    tf.dispose([...xs, ...ys]);
    model.dispose();
  });

  test('an Input that feeds nothing is both an input and an output', async () => {
    const r = compiled(doc([['a', 'Input', { shape: [3] }], ['d', 'Dense', { units: 2 }], ['b', 'Input', { shape: [4] }]], [['a', 'd']]));
    expect(r.outputs).toEqual(['d', 'b']);
    const model = await toTfjsModel(tf, r);
    const ys = asList(model.predict([tf.ones([1, 3]), tf.ones([1, 4])]));
    expect(ys.map((y) => y.shape)).toEqual([[1, 2], [1, 4]]);
    tf.dispose(ys);
    model.dispose();
  });

  test('node ids that are not tfjs names still give one layer per node', async () => {
    const r = compiled(chain([['1 input', 'Input', { shape: [4] }], ['dense #1', 'Dense', { units: 3 }], ['out:put', 'Dense', { units: 2 }]]));
    const model = await toTfjsModel(tf, r);
    expect(model.layers.map((l) => l.name)).toEqual(['n_1_input', 'dense__1', 'out_put']);
    model.dispose();
  });
});

/** Saves to memory and loads back, as a download/upload would. */
async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  registerCustomLayers(tf);
  return tf.loadLayersModel(tf.io.fromMemory(saved!));
}

describe('custom layers survive model.save → tf.loadLayersModel', () => {
  const d = doc(
    [
      ['x', 'Input', { shape: [6] }],
      ['d1', 'Dense', { units: 8, activation: 'leakyRelu' }],
      ['mx', 'Maxout', { units: 4, pieces: 3, l1: 0.001 }],
      ['lr', 'Activation', { activation: 'leakyRelu', alpha: 0.2 }],
      ['d2', 'Dense', { units: 5 }],
      ['st', 'Activation', { activation: 'step' }],
      ['d3', 'Dense', { units: 3, activation: 'step' }],
    ],
    [['x', 'd1'], ['d1', 'mx'], ['mx', 'lr'], ['lr', 'd2'], ['d2', 'st'], ['mx', 'd3']],
  );

  test('the loaded model has the same layers and predicts the same values', async () => {
    const model = await toTfjsModel(tf, compiled(d));
    const loaded = await roundTrip(model);
    expect(loaded.layers.map((l) => [l.name, l.getClassName()])).toEqual(model.layers.map((l) => [l.name, l.getClassName()]));
    expect(loaded.getLayer('mx').getClassName()).toBe('Maxout');
    expect(loaded.getLayer('st').getClassName()).toBe('Step');
    expect(loaded.getLayer('mx').getConfig()).toMatchObject({ units: 4, pieces: 3, l1: 0.001, l2: 0 });
    expect(loaded.getLayer('lr').getConfig()).toMatchObject({ alpha: 0.2 });
    expect(loaded.getLayer('d1_leakyRelu').getConfig()).toMatchObject({ alpha: 0.01 });
    expect(loaded.countParams()).toBe(model.countParams());

    const x = tf.randomNormal([16, 6], 0, 2, 'float32', 7);
    const before = asList(model.predict(x)).map((y) => y.arraySync());
    const after = asList(loaded.predict(x)).map((y) => y.arraySync());
    expect(after).toEqual(before);
    // The step outputs are 0/1 and not all the same, so the comparison means something.
    const steps = (before[0] as number[][]).flat();
    expect(new Set(steps)).toEqual(new Set([0, 1]));
    x.dispose();
    model.dispose();
    loaded.dispose();
  });

  test('the Maxout regularization is kept and computes the same penalty', async () => {
    const model = await toTfjsModel(tf, compiled(d));
    const loaded = await roundTrip(model);
    const penalty = (m: tf.LayersModel) => tf.tidy(() => tf.addN(m.getLayer('mx').calculateLosses()).dataSync()[0]);
    const kernel = model.getLayer('mx').getWeights()[0];
    expect(penalty(model)).toBeCloseTo(0.001 * kernel.abs().sum().dataSync()[0], 6);
    expect(penalty(loaded)).toBeCloseTo(penalty(model), 6);
    model.dispose();
    loaded.dispose();
  });
});

describe('what the custom layers compute', () => {
  test('Maxout equals the hand computation: each unit is the max of its pieces', async () => {
    const model = await toTfjsModel(tf, compiled(chain([['x', 'Input', { shape: [3] }], ['mx', 'Maxout', { units: 2, pieces: 2 }]])));
    // kernel [inputs, units·pieces]: column u·pieces + p holds piece p of unit u.
    const w = [
      // u0p0 u0p1 u1p0 u1p1
      [1, -1, 0.5, 2],
      [2, 0, -1, 1],
      [0, 3, 1, -2],
    ];
    const b = [0.5, 0, -1, 0.25];
    model.getLayer('mx').setWeights([tf.tensor2d(w), tf.tensor1d(b)]);
    const xs = [[1, -2, 0.5], [0, 0, 0], [-1, 1, 2]];
    const expected = xs.map((x) => [0, 1].map((u) => Math.max(...[0, 1].map((p) => {
      const col = u * 2 + p;
      return x.reduce((s, xi, i) => s + xi * w[i][col], b[col]);
    }))));
    // By hand for the first row: unit 0 = max(1 − 4 + 0 + .5, −1 + 0 + 1.5 + 0) = max(−2.5, 0.5) = 0.5;
    // unit 1 = max(.5 + 2 + .5 − 1, 2 − 2 − 1 + .25) = max(2, −0.75) = 2.
    expect(expected[0]).toEqual([0.5, 2]);
    const y = model.predict(tf.tensor2d(xs)) as tf.Tensor;
    const got = y.arraySync() as number[][];
    got.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 5)));
    y.dispose();
    model.dispose();
  });

  test('Maxout acts on the last axis of an image-shaped input', async () => {
    const r = compiled(chain([['x', 'Input', { shape: [2, 3, 4] }], ['mx', 'Maxout', { units: 5, pieces: 2 }]]));
    const model = await toTfjsModel(tf, r);
    const y = model.predict(tf.randomNormal([2, 2, 3, 4], 0, 1, 'float32', 5)) as tf.Tensor;
    expect(y.shape).toEqual([2, ...r.nodes.mx.outputShape!]);
    y.dispose();
    model.dispose();
  });

  test('Step gives 1 where x > 0 and 0 elsewhere (including 0 itself)', async () => {
    const model = await toTfjsModel(tf, compiled(chain([['x', 'Input', { shape: [7] }], ['st', 'Activation', { activation: 'step' }]])));
    const y = model.predict(tf.tensor2d([[-3, -1e-6, 0, -0, 1e-6, 0.5, 7]])) as tf.Tensor;
    expect(y.arraySync()).toEqual([[0, 0, 0, 0, 1, 1, 1]]);
    y.dispose();
    model.dispose();
  });

  test('a Dense with the step activation outputs only 0 and 1, and no gradient flows through it', async () => {
    const model = await toTfjsModel(tf, compiled(chain([['x', 'Input', { shape: [4] }], ['d', 'Dense', { units: 16, activation: 'step' }]])));
    const x = tf.randomNormal([32, 4], 0, 1, 'float32', 11);
    const values = new Set((model.predict(x) as tf.Tensor).dataSync());
    expect(values).toEqual(new Set([0, 1]));
    const g = tf.grad((v: tf.Tensor) => (model.apply(v) as tf.Tensor).sum())(x);
    expect(g.abs().max().dataSync()[0]).toBe(0);
    model.dispose();
  });

  test('leakyRelu uses slope 0.01 by default (tfjs LeakyReLU alone would use 0.3)', async () => {
    const model = await toTfjsModel(tf, compiled(doc(
      [['x', 'Input', { shape: [2] }], ['a', 'Activation', { activation: 'leakyRelu' }], ['b', 'Activation', { activation: 'leakyRelu', alpha: 0.5 }], ['d', 'Dense', { units: 2, activation: 'leakyRelu' }]],
      [['x', 'a'], ['x', 'b'], ['x', 'd']],
    )));
    const [a, b] = asList(model.predict(tf.tensor2d([[-2, 3]])));
    expect((a.arraySync() as number[][])[0][0]).toBeCloseTo(-0.02, 6);
    expect((a.arraySync() as number[][])[0][1]).toBeCloseTo(3, 6);
    expect((b.arraySync() as number[][])[0][0]).toBeCloseTo(-1, 6);
    expect(model.getLayer('d_leakyRelu').getConfig()).toMatchObject({ alpha: 0.01 });
    model.dispose();
  });
});

describe('l1/l2 become exactly the regularization asked for', () => {
  type RegCase = [type: string, params: Record<string, unknown>, input: number[], configKeys: string[]];
  const LAYERS: RegCase[] = [
    ['Dense', { units: 3 }, [4], ['kernelRegularizer']],
    ['Conv2D', { filters: 2, kernelSize: 3 }, [5, 5, 2], ['kernelRegularizer']],
    ['DepthwiseConv2D', { kernelSize: 3 }, [5, 5, 2], ['depthwiseRegularizer']],
    ['SeparableConv2D', { filters: 2, kernelSize: 3 }, [5, 5, 2], ['depthwiseRegularizer', 'pointwiseRegularizer']],
  ];
  const FACTORS: [string, { l1?: number; l2?: number }][] = [
    ['only l1', { l1: 0.003 }],
    ['only l2', { l2: 0.004 }],
    ['l1 and l2', { l1: 0.003, l2: 0.004 }],
    ['none', {}],
  ];
  const cases = LAYERS.flatMap((l) => FACTORS.map(([name, f]) => [`${l[0]}, ${name}`, l, f] as const));

  test.each(cases)('%s', async (_name, [type, params, input, configKeys], factors) => {
    const model = await toTfjsModel(tf, compiled(chain([['x', 'Input', { shape: input }], ['y', type, { ...params, ...factors }]])));
    const layer = model.getLayer('y');
    const config = layer.getConfig() as Record<string, { className: string; config: { l1: number; l2: number } } | null>;
    const l1 = factors.l1 ?? 0;
    const l2 = factors.l2 ?? 0;
    for (const key of configKeys) {
      if (l1 === 0 && l2 === 0) expect(config[key] ?? null).toBeNull();
      // No hidden 0.01 in the term that was not asked for (tf.regularizers.l1l2 would add it).
      else expect(config[key]).toEqual({ className: 'L1L2', config: { l1, l2 } });
    }
    // The penalty itself: l1·Σ|w| + l2·Σw² over the regularized kernels (not the biases).
    const kernels = layer.getWeights().filter((_, i) => i < configKeys.length);
    const expected = kernels.reduce((s, k) => s + l1 * k.abs().sum().dataSync()[0] + l2 * k.square().sum().dataSync()[0], 0);
    const losses = layer.calculateLosses();
    expect(losses.length).toBe(l1 === 0 && l2 === 0 ? 0 : configKeys.length);
    const got = losses.reduce((s, t) => s + t.dataSync()[0], 0);
    expect(got).toBeCloseTo(expected, 6);
    model.dispose();
  });

  test('Maxout with only l2 has no l1 term', async () => {
    const model = await toTfjsModel(tf, compiled(chain([['x', 'Input', { shape: [4] }], ['mx', 'Maxout', { units: 2, l2: 0.05 }]])));
    const layer = model.getLayer('mx');
    const kernel = layer.getWeights()[0];
    const got = layer.calculateLosses().reduce((s, t) => s + t.dataSync()[0], 0);
    expect(got).toBeCloseTo(0.05 * kernel.square().sum().dataSync()[0], 6);
    model.dispose();
  });
});

describe('graphs the compiler accepts build and run in tfjs', () => {
  // Reshape with -1: tfjs-layers' Reshape leaves the inferred dimension unknown (null) in its
  // symbolic output shape, and the layers after it then refuse to build.
  test.each([
    ['Reshape [-1] → Dense', [['x', 'Input', { shape: [2, 3, 4] }], ['r', 'Reshape', { targetShape: [-1] }], ['y', 'Dense', { units: 3 }]], [3]],
    ['Reshape [28, 28, -1] → Conv2D', [['x', 'Input', { shape: [784] }], ['r', 'Reshape', { targetShape: [28, 28, -1] }], ['y', 'Conv2D', { filters: 4, kernelSize: 3 }]], [26, 26, 4]],
    ['Reshape [-1, 4] → Flatten', [['x', 'Input', { shape: [12] }], ['r', 'Reshape', { targetShape: [-1, 4] }], ['y', 'Flatten']], [12]],
    ['Reshape [-1, 4] → Dense', [['x', 'Input', { shape: [12] }], ['r', 'Reshape', { targetShape: [-1, 4] }], ['y', 'Dense', { units: 2 }]], [3, 2]],
  ] as [string, N[], number[]][])('%s', async (_name, nodes, shape) => {
    const r = compiled(chain(nodes));
    expect(r.nodes.y.outputShape).toEqual(shape);
    const model = await toTfjsModel(tf, r);
    expect(model.outputs[0].shape.slice(1)).toEqual(shape);
    model.dispose();
  });

  // One tensor fed twice into a merge layer and also into a later layer: tfjs-layers' executor
  // counts the repeated input once but releases it twice, so predict() reads a disposed tensor
  // ("Cannot read properties of undefined (reading 'backend')").
  test.each([
    ['Add(a, a), then a → Dense', 'Add', [2]],
    ['Concatenate(a, a), then a → Dense', 'Concatenate', [4]],
  ] as [string, string, number[]][])('%s predicts', async (_name, merge, shape) => {
    const r = compiled(doc(
      [['x', 'Input', { shape: [3] }], ['a', 'Dense', { units: 2 }], ['m', merge], ['b', 'Dense', { units: 2 }]],
      [['x', 'a'], ['a', 'm'], ['a', 'm'], ['a', 'b']],
    ));
    expect(r.outputs).toEqual(['m', 'b']);
    expect(r.nodes.m.outputShape).toEqual(shape);
    const model = await toTfjsModel(tf, r);
    const run = () => tf.tidy(() => asList(model.predict(tf.ones([1, 3]))).map((y) => y.shape.slice(1)));
    expect(run).not.toThrow();
    expect(run()).toEqual([shape, [2]]);
    model.dispose();
  });

  // Concatenate with a negative axis other than -1: tfjs-layers' shape inference honours it,
  // but at run time it concatenates along the last axis (its K.concatenate maps every negative
  // axis to -1), so predict() fails or silently returns another shape.
  test.each([
    ['axis -2, equal shapes (silently wrong shape)', -2, [[4, 6, 3], [4, 6, 3]], [4, 12, 3]],
    ['axis -2', -2, [[4, 6, 3], [4, 2, 3]], [4, 8, 3]],
    ['axis -3', -3, [[4, 6, 3], [1, 6, 3]], [5, 6, 3]],
  ] as [string, number, number[][], number[]][])('Concatenate %s predicts the compiled shape', async (_name, axis, shapes, shape) => {
    const r = compiled(doc(
      [['a', 'Input', { shape: shapes[0] }], ['b', 'Input', { shape: shapes[1] }], ['y', 'Concatenate', { axis }]],
      [['a', 'y'], ['b', 'y']],
    ));
    expect(r.nodes.y.outputShape).toEqual(shape);
    const model = await toTfjsModel(tf, r);
    const run = () => tf.tidy(() => (model.predict(shapes.map((s) => tf.zeros([1, ...s]))) as tf.Tensor).shape.slice(1));
    expect(run).not.toThrow();
    expect(run()).toEqual(shape);
    model.dispose();
  });
});
