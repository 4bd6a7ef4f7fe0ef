/**
 * Conv1D, Conv2DTranspose, UpSampling2D and Multiply beyond the one-layer table: the impossible
 * settings are diagnosed on their node in words (and tfjs-layers agrees they are impossible), the
 * inspector's arithmetic shows the numbers, and each type survives model.json export (loaded by
 * tfjs with the compiled count), import back to the same params, and Keras export.
 */
import * as tf from '@tensorflow/tfjs';
import { compile, registerCustomLayers, toKeras, type GraphDocument } from '@/graph-compiler';
import { fromModelJson, toModelJson } from '@/graph-compiler/interop';
import { templateById } from '@/lib/templates';

tf.env().set('PROD', true);
registerCustomLayers(tf);

type Params = Record<string, unknown>;

/** Inputs `in1`, `in2`, … of the given shapes feeding one node `x`. */
function doc(type: string, params: Params, inputs: number[][]): GraphDocument {
  const feeders = inputs.map((shape, i) => ({ id: `in${i + 1}`, type: 'Input', params: { shape } }));
  return {
    format: 'layerboard.graph',
    version: 1,
    nodes: [...feeders, { id: 'x', type, params }],
    edges: feeders.map((f) => ({ source: f.id, target: 'x' })),
  };
}

const errorsOf = (d: GraphDocument) => compile(d).diagnostics.filter((x) => x.severity === 'error');

describe('impossible settings are diagnosed on the node, as tfjs-layers would refuse them', () => {
  test('Conv1D kernel longer than its input', () => {
    const [e, ...rest] = errorsOf(doc('Conv1D', { filters: 4, kernelSize: 7 }, [[5, 3]]));
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ code: 'output-size', nodeId: 'x', param: 'kernelSize' });
    expect(e.message).toBe('Conv1D "x": (5 + 2·0 − 7)/1 + 1 = −1 ≤ 0: the kernel of 7 steps is longer than its input of 5 steps; use padding "same" or a smaller kernel.');
    // tfjs-layers computes the same impossible length.
    expect(tf.layers.conv1d({ filters: 4, kernelSize: 7 }).computeOutputShape([null, 5, 3])).toEqual([null, -1, 4]);
  });

  test('Conv1D dilated kernel wider than its input', () => {
    const [e] = errorsOf(doc('Conv1D', { filters: 2, kernelSize: 3, dilationRate: 3 }, [[6, 1]]));
    expect(e.code).toBe('output-size');
    expect(e.message).toContain('(6 + 2·0 − 7)/1 + 1 = 0 ≤ 0: the kernel of 3 steps dilated by 3 spans 7 steps, more than its input of 6 steps');
  });

  test('padding "same" makes the same Conv1D possible', () => {
    expect(errorsOf(doc('Conv1D', { filters: 4, kernelSize: 7, padding: 'same' }, [[5, 3]]))).toEqual([]);
  });

  test('Conv1D strides and dilation both above 1', () => {
    const [e] = errorsOf(doc('Conv1D', { filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }, [[20, 1]]));
    expect(e).toMatchObject({ code: 'stride-and-dilation', param: 'dilationRate' });
  });

  test.each([
    [[784], 'Conv1D needs a sequence shaped [steps, channels], but its input is [784] (a flat vector): add a Reshape to [784, 1] before it'],
    [[28, 28, 1], 'but its input is [28, 28, 1] (an image): use Conv2D, or Reshape it to [steps, channels] first'],
  ])('Conv1D on %j', (shape, words) => {
    const [e] = errorsOf(doc('Conv1D', { filters: 2, kernelSize: 3 }, [shape]));
    expect(e.code).toBe('input-rank');
    expect(e.message).toContain(words);
  });

  test('Conv1D stride that leaves steps unread is a warning with the arithmetic', () => {
    const r = compile(doc('Conv1D', { filters: 2, kernelSize: 3, strides: 2 }, [[10, 1]]));
    expect(r.ok).toBe(true);
    const w = r.diagnostics.find((d) => d.code === 'stride-remainder')!;
    expect(w.message).toBe('Conv1D "x": (10 + 2·0 − 3)/2 + 1 = 4.5, rounded down to 4: the stride 2 does not divide 10 − 3 = 7, so the last step of the input is never read. Use padding "same" or a stride that divides evenly.');
  });

  test.each(['Conv2DTranspose', 'UpSampling2D'])('%s needs an image', (type) => {
    const [e] = errorsOf(doc(type, type === 'Conv2DTranspose' ? { filters: 2, kernelSize: 3 } : {}, [[10]]));
    expect(e.code).toBe('input-rank');
    expect(e.message).toContain(`${type} needs an image shaped [height, width, channels], but its input is [10] (a flat vector)`);
  });

  test.each([
    [[[4, 4, 3], [1, 1, 16]], '"in1" gives [4, 4, 3] and "in2" gives [1, 1, 16]: the last axis is 3 in one and 16 in the other.'],
    [[[8, 8, 4], [4, 8, 4]], '"in1" gives [8, 8, 4] and "in2" gives [4, 8, 4]: axis 1 is 8 in one and 4 in the other.'],
    [[[4, 4, 3], [4]], '"in1" gives [4, 4, 3] and "in2" gives [4]: the last axis is 3 in one and 4 in the other (the shorter shape lines up with the last axes of the longer).'],
    [[[4, 4, 3], [4, 4, 1], [2, 1, 1]], 'the inputs before "in3" multiply to [4, 4, 3] and "in3" gives [2, 1, 1]: axis 1 is 4 in one and 2 in the other.'],
  ])('Multiply of %j', (shapes, words) => {
    const [e, ...rest] = errorsOf(doc('Multiply', {}, shapes));
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ code: 'merge-shape', nodeId: 'x' });
    expect(e.message).toContain('Multiply "x": Multiply multiplies value by value, so each axis must have the same size in every input or size 1 (which is repeated to fit), but ');
    expect(e.message).toContain(words);
    // tfjs-layers refuses the same shapes.
    expect(() => tf.layers.multiply().apply(shapes.map((shape) => tf.input({ shape })))).toThrow(/could not be broadcast/);
  });

  test('Multiply needs two inputs', () => {
    const [e] = errorsOf(doc('Multiply', {}, [[4]]));
    expect(e.code).toBe('arity');
  });
});

describe('the arithmetic the inspector shows', () => {
  const node = (type: string, params: Params, inputs: number[][]) => compile(doc(type, params, inputs)).nodes.x;

  test('Conv1D', () => {
    const n = node('Conv1D', { filters: 16, kernelSize: 5, strides: 2 }, [[100, 3]]);
    expect(n.outputShape).toEqual([48, 16]);
    expect(n.shapeFormula).toEqual(['(100 + 2·0 − 5)/2 + 1 = 48.5, rounded down to 48']);
    expect(n.paramFormula).toBe('5·3·16 + 16 = 256');
    expect(n.macs).toBe(48 * 16 * 5 * 3);
    expect(n.summary).toBe('16 × 5 /2 valid');
  });

  test.each([
    [{ filters: 8, kernelSize: 3, strides: 2 }, [14, 14, 4], [29, 29, 8], ['(14 − 1)·2 + 3 = 29']],
    [{ filters: 8, kernelSize: 3, strides: 2, padding: 'same' }, [14, 14, 4], [28, 28, 8], ['14·2 = 28 (padding "same": stride × input)']],
    [{ filters: 2, kernelSize: 1, strides: 3 }, [4, 4, 2], [12, 12, 2], ['4·3 = 12 (the kernel 1 is shorter than the stride 3: each input value paints a 1-wide patch and 2 of every 3 outputs stay at the bias)']],
    [{ filters: 2, kernelSize: [3, 2], strides: [1, 2] }, [5, 6, 1], [7, 12, 2], ['height: (5 − 1)·1 + 3 = 7', 'width: (6 − 1)·2 + 2 = 12']],
  ])('Conv2DTranspose %j on %j', (params, input, out, formula) => {
    const n = node('Conv2DTranspose', params, [input]);
    expect(n.outputShape).toEqual(out);
    expect(n.shapeFormula).toEqual(formula);
  });

  test('Conv2DTranspose counts', () => {
    const n = node('Conv2DTranspose', { filters: 8, kernelSize: 3, strides: 2, padding: 'same' }, [[7, 7, 16]]);
    expect(n.paramFormula).toBe('3·3·16·8 + 8 = 1160');
    expect(n.macs).toBe(7 * 7 * 16 * 3 * 3 * 8);
  });

  test('UpSampling2D', () => {
    expect(node('UpSampling2D', {}, [[14, 14, 8]]).shapeFormula).toEqual(['14·2 = 28']);
    const n = node('UpSampling2D', { size: [2, 3], interpolation: 'bilinear' }, [[5, 4, 1]]);
    expect(n.shapeFormula).toEqual(['height: 5·2 = 10', 'width: 4·3 = 12']);
    expect(n.summary).toBe('×2×3 bilinear');
    expect(n.paramCount).toEqual({ trainable: 0, nonTrainable: 0 });
  });

  test('Multiply says when it broadcasts', () => {
    expect(node('Multiply', {}, [[4, 4, 3], [1, 1, 3]]).shapeFormula).toEqual(['[4, 4, 3] × [1, 1, 3] → [4, 4, 3]: axes of size 1 (and missing leading axes) are repeated to fit']);
    expect(node('Multiply', {}, [[6], [6]]).shapeFormula).toEqual([]);
  });
});

/** One case per type: params as a person writes them, what import gives back, the Keras call. */
const ROUND_TRIPS: [string, Params, number[][], string][] = [
  ['Conv1D', { filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', l2: 0.01 }, [[9, 3]],
    'layers.Conv1D(4, 3, strides=2, padding="same", activation="relu", kernel_regularizer=keras.regularizers.L2(0.01), name="x")(in1)'],
  ['Conv1D', { filters: 2, kernelSize: 3, dilationRate: 2, useBias: false, activation: 'leakyRelu' }, [[12, 1]],
    'layers.Conv1D(2, 3, dilation_rate=2, use_bias=False, name="x")(in1)'],
  ['Conv2DTranspose', { filters: 3, kernelSize: [3, 2], strides: 2, activation: 'sigmoid' }, [[4, 5, 2]],
    'layers.Conv2DTranspose(3, (3, 2), strides=(2, 2), activation="sigmoid", name="x")(in1)'],
  ['Conv2DTranspose', { filters: 8, kernelSize: 4, strides: [2, 1], padding: 'same', useBias: false, l1: 0.001 }, [[7, 7, 4]],
    'layers.Conv2DTranspose(8, (4, 4), strides=(2, 1), padding="same", use_bias=False, kernel_regularizer=keras.regularizers.L1(0.001), name="x")(in1)'],
  ['UpSampling2D', {}, [[7, 7, 3]], 'layers.UpSampling2D(name="x")(in1)'],
  ['UpSampling2D', { size: [2, 3], interpolation: 'bilinear' }, [[3, 4, 2]], 'layers.UpSampling2D(size=(2, 3), interpolation="bilinear", name="x")(in1)'],
  ['Multiply', {}, [[4, 4, 3], [1, 1, 3]], 'layers.Multiply(name="x")([in1, in2])'],
  ['Multiply', {}, [[5], [5], [5]], 'layers.Multiply(name="x")([in1, in2, in3])'],
];

describe.each(ROUND_TRIPS)('%s %j on %j', (type, params, inputs, kerasLine) => {
  const d = doc(type, params, inputs);
  const result = compile(d);

  test('model.json export loads in tfjs with the compiled count and shape, and runs', async () => {
    expect(result.ok).toBe(true);
    const json = JSON.parse(JSON.stringify(toModelJson(result)));
    const model = await tf.models.modelFromJSON(json.modelTopology);
    try {
      expect(model.countParams()).toBe(result.totals.totalParams);
      expect(model.outputs[0].shape.slice(1)).toEqual(result.nodes.x.outputShape);
      const y = tf.tidy(() => (model.predict(inputs.map((s) => tf.ones([2, ...s]))) as tf.Tensor).shape);
      expect(y).toEqual([2, ...result.nodes.x.outputShape!]);
    } finally {
      model.dispose();
    }
  });

  test('import gives back the same params', () => {
    const imported = fromModelJson(JSON.parse(JSON.stringify(toModelJson(result))));
    if (!imported.ok) throw new Error(imported.message);
    expect(imported.messages).toEqual([]);
    const x = imported.doc.nodes.find((n) => n.id === 'x')!;
    expect(x.type).toBe(type);
    expect(x.params).toEqual(params);
    expect(compile(imported.doc).nodes.x.params).toEqual(result.nodes.x.params);
  });

  test('Keras export writes the layer call', () => {
    expect(toKeras(d, result)).toContain(`x = ${kerasLine}`);
  });
});

describe('reading Keras configs with what tfjs does not have', () => {
  const keras = (className: string, config: Params, shape: number[]) => ({
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'k', layers: [{ class_name: className, config: { name: 'x', batch_input_shape: [null, ...shape], ...config } }] },
    },
  });

  test('Conv1D padding "causal" is read as "same", with a note', () => {
    const r = fromModelJson(keras('Conv1D', { filters: 4, kernel_size: [3], padding: 'causal' }, [10, 2]));
    if (!r.ok) throw new Error(r.message);
    expect(r.doc.nodes[1].params).toEqual({ filters: 4, kernelSize: 3, padding: 'same' });
    expect(r.messages.join(' ')).toContain('padding "causal" is imported as "same"');
    expect(compile(r.doc).nodes.x.outputShape).toEqual([10, 4]);
  });

  test('Conv2DTranspose dilation and output_padding are left out, with notes', () => {
    const r = fromModelJson(keras('Conv2DTranspose', { filters: 2, kernel_size: [3, 3], strides: [2, 2], dilation_rate: [2, 2], output_padding: [1, 1] }, [4, 4, 1]));
    if (!r.ok) throw new Error(r.message);
    expect(r.doc.nodes[1].params).toEqual({ filters: 2, kernelSize: 3, strides: 2 });
    expect(r.messages.join(' ')).toMatch(/dilation_rate \[2,2\] is left out.*output_padding \[1,1\] is left out/);
  });

  test('UpSampling2D bicubic is read as bilinear, with a note', () => {
    const r = fromModelJson(keras('UpSampling2D', { size: [3, 3], interpolation: 'bicubic' }, [4, 4, 1]));
    if (!r.ok) throw new Error(r.message);
    expect(r.doc.nodes[1].params).toEqual({ size: 3, interpolation: 'bilinear' });
    expect(r.messages.join(' ')).toContain('interpolation "bicubic" is imported as "bilinear"');
  });
});

describe.each([
  ['unet-autoencoder', 67_169, [28, 28, 1], ['Conv2DTranspose', 'UpSampling2D', 'Concatenate']],
  ['squeeze-excitation', 3_022, [10], ['Multiply', 'Reshape', 'GlobalAveragePooling2D']],
] as const)('template %s', (id, total, output, uses) => {
  const d = templateById(id)!.doc;

  test(`compiles to ${total} params, as tfjs counts them`, async () => {
    const result = compile(structuredClone(d));
    expect(result.diagnostics).toEqual([]);
    expect(result.totals.totalParams).toBe(total);
    expect(result.nodes[result.outputs[0]].outputShape).toEqual(output);
    const model = await tf.models.modelFromJSON(JSON.parse(JSON.stringify(toModelJson(result))).modelTopology);
    try {
      expect(model.countParams()).toBe(total);
      expect(model.outputs[0].shape.slice(1)).toEqual(output);
    } finally {
      model.dispose();
    }
  });

  test(`uses ${uses.join(', ')}`, () => {
    for (const type of uses) expect([type, d.nodes.some((n) => n.type === type)]).toEqual([type, true]);
  });
});
