/**
 * Every layer type against tfjs-layers itself: for each configuration, a one-layer document
 * (Input → layer, or several Inputs → a merge) is compiled, and the same layer is built
 * directly with tfjs-layers (`tf.layers.x({...}).apply(tf.input({shape}))`, without going
 * through the compiler's emitter). The output shape (without the batch axis) and the
 * parameter counts (trainable, non-trainable, total) must be equal. The model the compiler's
 * emitter builds for the same document must agree too.
 */
import * as tf from '@tensorflow/tfjs';
import { compile, registerCustomLayers, toTfjsModel, type GraphDocument } from '@/graph-compiler';

tf.env().set('PROD', true);

type Params = Record<string, unknown>;

interface Row {
  type: string;
  params: Params;
  /** One shape per input (several for Add and Concatenate). */
  inputs: number[][];
  /** What the row is about, when the params alone do not say it. */
  note?: string;
}

const r = (type: string, params: Params, inputs: number[][], note?: string): Row => ({ type, params, inputs, note });

const IMG: number[] = [28, 28, 1];
const RGB: number[] = [32, 32, 3];
const ODD: number[] = [17, 9, 4];

const ROWS: Row[] = [
  // Dense
  r('Dense', { units: 4 }, [[8]]),
  r('Dense', { units: 1, useBias: false }, [[8]]),
  r('Dense', { units: 10, activation: 'softmax' }, [[784]]),
  r('Dense', { units: 7, activation: 'relu' }, [[3, 5]], 'rank-2 input: acts on the last axis'),
  r('Dense', { units: 2 }, [[4, 4, 3]], 'image input: acts on the last axis'),
  r('Dense', { units: 3, activation: 'leakyRelu' }, [[6]], 'activation emitted as a separate layer'),
  r('Dense', { units: 3, activation: 'step' }, [[6]], 'activation emitted as a separate layer'),
  r('Dense', { units: 5, l1: 0.01 }, [[6]]),
  r('Dense', { units: 5, l1: 0.01, l2: 0.02, useBias: false }, [[6]]),
  // Conv2D
  r('Conv2D', { filters: 6, kernelSize: 5 }, [IMG]),
  r('Conv2D', { filters: 6, kernelSize: 5, padding: 'same' }, [IMG]),
  r('Conv2D', { filters: 8, kernelSize: 3, strides: 2 }, [IMG], 'stride 2 does not divide 28 − 3'),
  r('Conv2D', { filters: 8, kernelSize: 3, strides: 2, padding: 'same' }, [IMG]),
  r('Conv2D', { filters: 4, kernelSize: 5, strides: 3 }, [IMG], 'stride 3 does not divide 28 − 5'),
  r('Conv2D', { filters: 4, kernelSize: 3, strides: 3, padding: 'same' }, [IMG], 'ceil(28/3) = 10'),
  r('Conv2D', { filters: 16, kernelSize: [3, 5] }, [RGB]),
  r('Conv2D', { filters: 16, kernelSize: [1, 7], padding: 'same' }, [RGB]),
  r('Conv2D', { filters: 16, kernelSize: 3, strides: [2, 1] }, [RGB]),
  r('Conv2D', { filters: 16, kernelSize: [3, 2], strides: [1, 3], padding: 'same' }, [ODD]),
  r('Conv2D', { filters: 2, kernelSize: 3, dilationRate: 2 }, [IMG], 'dilated: spans 5×5'),
  r('Conv2D', { filters: 2, kernelSize: 3, dilationRate: 2, padding: 'same' }, [IMG]),
  r('Conv2D', { filters: 2, kernelSize: [3, 2], dilationRate: [2, 3] }, [ODD]),
  r('Conv2D', { filters: 64, kernelSize: 3, useBias: false }, [RGB]),
  r('Conv2D', { filters: 1, kernelSize: 1 }, [[7, 7, 512]]),
  r('Conv2D', { filters: 3, kernelSize: [17, 9] }, [ODD], 'kernel as large as the input: 1×1 output'),
  r('Conv2D', { filters: 3, kernelSize: 2, strides: 3 }, [[10, 10, 2]], 'stride larger than the kernel'),
  r('Conv2D', { filters: 4, kernelSize: 3, activation: 'leakyRelu', l2: 0.001 }, [[8, 8, 2]]),
  r('Conv2D', { filters: 4, kernelSize: 3, strides: 1, padding: 'same', activation: 'gelu' }, [[8, 8, 2]]),
  // DepthwiseConv2D
  r('DepthwiseConv2D', { kernelSize: 3 }, [RGB]),
  r('DepthwiseConv2D', { kernelSize: 3, strides: 2, padding: 'same' }, [RGB]),
  r('DepthwiseConv2D', { kernelSize: 3, depthMultiplier: 3 }, [RGB]),
  r('DepthwiseConv2D', { kernelSize: 5, depthMultiplier: 2, useBias: false }, [ODD]),
  r('DepthwiseConv2D', { kernelSize: [1, 3], strides: [2, 3] }, [ODD]),
  r('DepthwiseConv2D', { kernelSize: 3, strides: 2 }, [[8, 8, 16]], 'stride 2 does not divide 8 − 3'),
  // SeparableConv2D
  r('SeparableConv2D', { filters: 8, kernelSize: 3 }, [RGB]),
  r('SeparableConv2D', { filters: 8, kernelSize: 3, strides: 2, padding: 'same' }, [RGB]),
  r('SeparableConv2D', { filters: 32, kernelSize: 3, depthMultiplier: 2 }, [[16, 16, 8]]),
  r('SeparableConv2D', { filters: 4, kernelSize: [3, 1], useBias: false }, [ODD]),
  r('SeparableConv2D', { filters: 5, kernelSize: 5, strides: 3, depthMultiplier: 3 }, [ODD]),
  // MaxPooling2D
  r('MaxPooling2D', {}, [[24, 24, 6]]),
  r('MaxPooling2D', {}, [[7, 7, 3]], 'odd size: the last row and column are dropped'),
  r('MaxPooling2D', { padding: 'same' }, [[7, 7, 3]], 'odd size, same: ceil(7/2) = 4'),
  r('MaxPooling2D', { poolSize: 3, strides: 2 }, [[13, 13, 8]], 'overlapping windows'),
  r('MaxPooling2D', { poolSize: 3, strides: 2, padding: 'same' }, [[14, 14, 8]]),
  r('MaxPooling2D', { poolSize: [2, 3] }, [ODD]),
  r('MaxPooling2D', { poolSize: 2, strides: [1, 2] }, [ODD]),
  r('MaxPooling2D', { poolSize: 3, strides: 1, padding: 'same' }, [[5, 5, 2]]),
  r('MaxPooling2D', { poolSize: 4, padding: 'same' }, [[3, 3, 1]], 'pool larger than the input, same'),
  // AveragePooling2D
  r('AveragePooling2D', {}, [[28, 28, 6]]),
  r('AveragePooling2D', {}, [[9, 9, 1]]),
  r('AveragePooling2D', { poolSize: 3 }, [[10, 10, 2]], 'strides default to the pool size'),
  r('AveragePooling2D', { poolSize: 3, padding: 'same' }, [[10, 10, 2]]),
  r('AveragePooling2D', { poolSize: [3, 2], strides: [2, 1] }, [ODD]),
  r('AveragePooling2D', { poolSize: 2, strides: 3 }, [[11, 11, 4]], 'stride larger than the pool'),
  // Global pooling
  r('GlobalAveragePooling2D', {}, [[7, 7, 512]]),
  r('GlobalAveragePooling2D', {}, [ODD]),
  r('GlobalMaxPooling2D', {}, [[7, 7, 512]]),
  r('GlobalMaxPooling2D', {}, [[1, 1, 3]]),
  // ZeroPadding2D
  r('ZeroPadding2D', {}, [IMG], 'default padding 1'),
  r('ZeroPadding2D', { padding: 2 }, [IMG]),
  r('ZeroPadding2D', { padding: [1, 2] }, [ODD]),
  r('ZeroPadding2D', { padding: [[0, 1], [2, 3]] }, [ODD]),
  r('ZeroPadding2D', { padding: 0 }, [[4, 4, 2]]),
  // Flatten
  r('Flatten', {}, [[5, 5, 16]]),
  r('Flatten', {}, [[3, 7]]),
  r('Flatten', {}, [[2, 3, 4, 5]], 'rank-4 input'),
  // Reshape
  r('Reshape', { targetShape: [28, 28, 1] }, [[784]]),
  r('Reshape', { targetShape: [-1, 4] }, [[12]], '-1 takes what is left'),
  r('Reshape', { targetShape: [-1] }, [[2, 3, 4]]),
  r('Reshape', { targetShape: [2, -1, 3] }, [[24]]),
  r('Reshape', { targetShape: [16, 3] }, [[4, 4, 3]]),
  r('Reshape', { targetShape: [1, 1, -1] }, [[10]]),
  // Dropout
  r('Dropout', { rate: 0.5 }, [[10]]),
  r('Dropout', { rate: 0 }, [[4, 4, 3]]),
  r('Dropout', { rate: 0.25 }, [[3, 5]]),
  // BatchNormalization
  r('BatchNormalization', {}, [[10]]),
  r('BatchNormalization', {}, [[4, 4, 32]]),
  r('BatchNormalization', {}, [[5, 7]]),
  r('BatchNormalization', { momentum: 0.9, epsilon: 0.0001 }, [[8, 8, 3]]),
  // Activation
  ...['linear', 'relu', 'relu6', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'softplus', 'softsign', 'swish', 'gelu', 'leakyRelu', 'step']
    .map((activation) => r('Activation', { activation }, [[6]])),
  r('Activation', { activation: 'leakyRelu', alpha: 0.2 }, [[2, 2, 3]]),
  r('Activation', { activation: 'softmax' }, [[3, 4]]),
  r('Activation', { activation: 'step' }, [[4, 4, 2]]),
  // Maxout (our own tfjs layer)
  r('Maxout', { units: 3 }, [[5]]),
  r('Maxout', { units: 4, pieces: 3 }, [[8]]),
  r('Maxout', { units: 2, pieces: 1 }, [[6]]),
  r('Maxout', { units: 2, pieces: 2 }, [[2, 3, 4]], 'image input: acts on the last axis'),
  r('Maxout', { units: 6, pieces: 5, l1: 0.01 }, [[3]]),
  // Add
  r('Add', {}, [[8], [8]]),
  r('Add', {}, [[4, 4, 3], [4, 4, 3], [4, 4, 3]]),
  r('Add', {}, [[3, 5], [3, 5]]),
  // Concatenate
  r('Concatenate', {}, [[4, 4, 3], [4, 4, 5]], 'default axis -1'),
  r('Concatenate', { axis: -1 }, [[8], [2], [5]]),
  r('Concatenate', { axis: 1 }, [[8], [2]]),
  r('Concatenate', { axis: 1 }, [[4, 6, 3], [2, 6, 3]]),
  r('Concatenate', { axis: 2 }, [[4, 6, 3], [4, 1, 3]]),
  r('Concatenate', { axis: 3 }, [[4, 6, 3], [4, 6, 1]]),
  r('Concatenate', { axis: -2 }, [[4, 6, 3], [4, 2, 3]]),
  r('Concatenate', { axis: -2 }, [[4, 6, 3], [4, 6, 3]], 'equal shapes'),
  r('Concatenate', { axis: -3 }, [[4, 6, 3], [5, 6, 3], [1, 6, 3]]),
  r('Concatenate', { axis: 2 }, [[3, 5], [3, 2]]),
  // Sequences: Embedding, LSTM, GRU, LayerNormalization
  r('Embedding', { inputDim: 10, outputDim: 4 }, [[5]]),
  r('Embedding', { inputDim: 1000, outputDim: 16 }, [[20]]),
  r('Embedding', { inputDim: 1, outputDim: 1 }, [[1]], 'one id, one number'),
  r('Embedding', { inputDim: 7, outputDim: 3 }, [[4, 6]], 'rank-2 ids: a vector per id'),
  r('LSTM', { units: 4 }, [[5, 3]]),
  r('LSTM', { units: 16 }, [[28, 28]], 'MNIST rows as timesteps'),
  r('LSTM', { units: 8, returnSequences: true }, [[6, 2]]),
  r('LSTM', { units: 3, useBias: false }, [[4, 5]]),
  r('LSTM', { units: 5, activation: 'relu', recurrentActivation: 'hardSigmoid', dropout: 0.2, recurrentDropout: 0.1 }, [[3, 4]]),
  r('LSTM', { units: 2, returnSequences: true, l1: 0.01, l2: 0.02 }, [[1, 1]], 'one step, one feature'),
  r('GRU', { units: 4 }, [[5, 3]]),
  r('GRU', { units: 12 }, [[28, 28]]),
  r('GRU', { units: 6, returnSequences: true }, [[7, 2]]),
  r('GRU', { units: 3, useBias: false, recurrentActivation: 'hardSigmoid' }, [[4, 5]]),
  r('GRU', { units: 5, activation: 'softsign', dropout: 0.3, l2: 0.001 }, [[2, 9]]),
  r('LayerNormalization', {}, [[10]]),
  r('LayerNormalization', {}, [[5, 3]]),
  r('LayerNormalization', { epsilon: 0.0001 }, [[4, 4, 8]]),
  r('LayerNormalization', { center: false }, [[6, 4]]),
  r('LayerNormalization', { scale: false }, [[6]]),
  r('LayerNormalization', { center: false, scale: false }, [[3, 2]], 'no weights'),
  // Convolution and upsampling for sequences and decoders, Multiply with broadcasting
  r('Conv1D', { filters: 4, kernelSize: 3 }, [[10, 2]]),
  r('Conv1D', { filters: 4, kernelSize: 3, padding: 'same' }, [[10, 2]]),
  r('Conv1D', { filters: 8, kernelSize: 3, strides: 2 }, [[10, 2]], 'stride 2 does not divide 10 − 3'),
  r('Conv1D', { filters: 8, kernelSize: 4, strides: 3, padding: 'same' }, [[11, 3]], 'ceil(11/3) = 4'),
  r('Conv1D', { filters: 2, kernelSize: 3, dilationRate: 2 }, [[12, 1]], 'dilated: spans 5 steps'),
  r('Conv1D', { filters: 2, kernelSize: 5, dilationRate: 3, padding: 'same' }, [[9, 4]]),
  r('Conv1D', { filters: 5, kernelSize: 7 }, [[7, 3]], 'kernel as long as the input: 1 step out'),
  r('Conv1D', { filters: 6, kernelSize: 1, useBias: false }, [[5, 16]]),
  r('Conv1D', { filters: 3, kernelSize: 2, strides: 4 }, [[13, 2]], 'stride larger than the kernel'),
  r('Conv1D', { filters: 3, kernelSize: 3, activation: 'leakyRelu', l2: 0.01 }, [[8, 2]]),
  r('Conv1D', { filters: 16, kernelSize: 5, strides: 2, padding: 'same', activation: 'relu' }, [[100, 1]]),
  r('Conv2DTranspose', { filters: 4, kernelSize: 3 }, [[5, 5, 2]]),
  r('Conv2DTranspose', { filters: 4, kernelSize: 3, strides: 2 }, [[7, 7, 8]], '(7 − 1)·2 + 3 = 15'),
  r('Conv2DTranspose', { filters: 4, kernelSize: 3, strides: 2, padding: 'same' }, [[7, 7, 8]], '7·2 = 14'),
  r('Conv2DTranspose', { filters: 2, kernelSize: 2, strides: 2 }, [[14, 14, 1]], 'exact doubling'),
  r('Conv2DTranspose', { filters: 3, kernelSize: 1, strides: 3 }, [[4, 4, 2]], 'kernel shorter than the stride: N·s'),
  r('Conv2DTranspose', { filters: 3, kernelSize: [3, 5], strides: [2, 1] }, [ODD]),
  r('Conv2DTranspose', { filters: 1, kernelSize: [4, 2], strides: [1, 3], padding: 'same' }, [ODD]),
  r('Conv2DTranspose', { filters: 6, kernelSize: 5, useBias: false }, [[1, 1, 4]], 'kernel larger than the input'),
  r('Conv2DTranspose', { filters: 2, kernelSize: 3, strides: 2, activation: 'step', l1: 0.01 }, [[3, 3, 2]]),
  r('Conv2DTranspose', { filters: 2, kernelSize: 4, strides: 3, padding: 'same', activation: 'sigmoid' }, [[5, 6, 3]]),
  r('UpSampling2D', {}, [[14, 14, 8]], 'default size 2'),
  r('UpSampling2D', { size: 3 }, [ODD]),
  r('UpSampling2D', { size: [2, 3] }, [[5, 4, 1]]),
  r('UpSampling2D', { size: [1, 4], interpolation: 'bilinear' }, [ODD]),
  r('UpSampling2D', { size: 1 }, [[3, 3, 2]]),
  r('UpSampling2D', { interpolation: 'bilinear' }, [[7, 7, 3]]),
  r('Multiply', {}, [[8], [8]]),
  r('Multiply', {}, [[4, 4, 3], [1, 1, 3]], 'squeeze-and-excitation gate'),
  r('Multiply', {}, [[1, 1, 3], [4, 4, 3]], 'gate first'),
  r('Multiply', {}, [[4, 4, 3], [4, 4, 1]], 'one mask for every channel'),
  r('Multiply', {}, [[4, 1, 3], [1, 5, 3]], 'both inputs broadcast'),
  r('Multiply', {}, [[4, 4, 3], [3]], 'lower rank: lines up with the last axis'),
  r('Multiply', {}, [[6, 5, 4], [5, 1]], 'lower rank with a 1'),
  r('Multiply', {}, [[2, 3], [2, 3], [1, 3]], 'three inputs'),
  r('Multiply', {}, [[5], [1]]),
];

/** The one-layer document: inputs `in0`, `in1`, … feeding node `x`. */
function oneLayerDoc(row: Row): GraphDocument {
  const inputs = row.inputs.map((shape, i) => ({ id: `in${i}`, type: 'Input', params: { shape } }));
  return {
    format: 'layerboard.graph',
    version: 1,
    nodes: [...inputs, { id: 'x', type: row.type, params: row.params }],
    edges: inputs.map((n) => ({ source: n.id, target: 'x' })),
  };
}

const FACTORIES: Record<string, (config: never) => tf.layers.Layer> = {
  Dense: tf.layers.dense,
  Conv2D: tf.layers.conv2d,
  DepthwiseConv2D: tf.layers.depthwiseConv2d,
  SeparableConv2D: tf.layers.separableConv2d,
  MaxPooling2D: tf.layers.maxPooling2d,
  AveragePooling2D: tf.layers.averagePooling2d,
  GlobalAveragePooling2D: tf.layers.globalAveragePooling2d,
  GlobalMaxPooling2D: tf.layers.globalMaxPooling2d,
  ZeroPadding2D: tf.layers.zeroPadding2d,
  Flatten: tf.layers.flatten,
  Reshape: tf.layers.reshape,
  Dropout: tf.layers.dropout,
  BatchNormalization: tf.layers.batchNormalization,
  Add: tf.layers.add,
  Concatenate: tf.layers.concatenate,
  Embedding: tf.layers.embedding,
  LSTM: tf.layers.lstm,
  GRU: tf.layers.gru,
  LayerNormalization: tf.layers.layerNormalization,
  Conv1D: tf.layers.conv1d,
  Conv2DTranspose: tf.layers.conv2dTranspose,
  // tfjs-layers' UpSampling2D takes its size as a pair only.
  UpSampling2D: (c: { size?: number | number[] }) => tf.layers.upSampling2d({ ...c, size: typeof c.size === 'number' ? [c.size, c.size] : c.size } as never),
  Multiply: tf.layers.multiply,
};

/**
 * The same layer straight from tfjs-layers: the document's params are tfjs argument names,
 * so they pass through unchanged; only what tfjs cannot take is translated (kernel
 * regularization factors, the activations tfjs has no name for, whose shape and weights are
 * those of linear, and negative Concatenate axes, see below).
 */
function tfjsLayer(row: Row): tf.layers.Layer {
  const custom = registerCustomLayers(tf) as unknown as ReadonlyMap<string, new (config: object) => tf.layers.Layer>;
  const { l1, l2, ...rest } = row.params as Params & { l1?: number; l2?: number };
  if (row.type === 'Maxout') return new (custom.get('Maxout')!)({ units: rest.units as number, pieces: (rest.pieces as number) ?? 2, l1, l2 });
  if (row.type === 'Activation') {
    if (rest.activation === 'step') return new (custom.get('Step')!)({});
    if (rest.activation === 'leakyRelu') return tf.layers.leakyReLU({ alpha: (rest.alpha as number) ?? 0.01 });
    return tf.layers.activation({ activation: rest.activation as never });
  }
  const config: Params = { ...rest };
  if (config.activation === 'step' || config.activation === 'leakyRelu') config.activation = 'linear';
  // tfjs-layers runs every negative Concatenate axis as -1 (its K.concatenate maps axis < 0 to
  // the last axis), though its shape inference honours it: the reference uses the equivalent
  // positive axis (the batch axis is 0).
  if (row.type === 'Concatenate' && typeof config.axis === 'number' && config.axis < 0) {
    config.axis = row.inputs[0].length + 1 + config.axis;
  }
  return FACTORIES[row.type](config as never);
}

const weightCount = (ws: tf.LayerVariable[]) => ws.reduce((s, w) => s + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);

function title(row: Row): string {
  const params = JSON.stringify(row.params).replace(/"/g, '');
  const ins = row.inputs.map((s) => `[${s.join(',')}]`).join(' + ');
  return `${row.type} ${params} on ${ins}${row.note ? ` (${row.note})` : ''}`;
}

/** Runs a layer or model on zeros (batch of 1) and returns the output shape without the batch axis. */
function concreteShape(f: (xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[], inputs: number[][]): number[] {
  return tf.tidy(() => {
    const y = f(inputs.map((shape) => tf.zeros([1, ...shape])));
    return (Array.isArray(y) ? y[0] : y).shape.slice(1);
  });
}

const CASES = ROWS.map((row) => [title(row), row] as const);

test('the table is large and covers every layer type', () => {
  expect(ROWS.length).toBeGreaterThanOrEqual(80);
  expect(new Set(ROWS.map((x) => x.type))).toEqual(new Set([...Object.keys(FACTORIES), 'Activation', 'Maxout']));
});

describe('compiled shape and parameter counts equal those of the layer built with tfjs-layers', () => {
  test.each(CASES)('%s', (_title, row) => {
    const result = compile(oneLayerDoc(row));
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
    const node = result.nodes.x;

    const layer = tfjsLayer(row);
    const inputs = row.inputs.map((shape) => tf.input({ shape }));
    const symbolic = (layer.apply(inputs.length === 1 ? inputs[0] : inputs) as tf.SymbolicTensor).shape.slice(1);
    // tfjs leaves a dimension it does not infer symbolically as null (Reshape with -1): those
    // are checked by running the layer.
    expect(node.outputShape!.map((d, i) => (symbolic[i] === null ? null : d))).toEqual(symbolic);
    expect(node.outputShape).toEqual(concreteShape((xs) => layer.apply(xs.length === 1 ? xs[0] : xs) as tf.Tensor, row.inputs));

    const trainable = weightCount(layer.trainableWeights);
    const nonTrainable = weightCount(layer.nonTrainableWeights);
    expect(node.paramCount).toEqual({ trainable, nonTrainable });
    expect(node.paramCount!.trainable + node.paramCount!.nonTrainable).toBe(layer.countParams());
    expect(result.totals).toMatchObject({ totalParams: layer.countParams(), trainableParams: trainable, nonTrainableParams: nonTrainable });
    layer.dispose();
  });
});

describe('the emitted tfjs model agrees with the compiled figures', () => {
  test.each(CASES)('%s', async (_title, row) => {
    const result = compile(oneLayerDoc(row));
    const model = await toTfjsModel(tf, result);
    try {
      const shape = result.nodes.x.outputShape;
      expect(model.outputs[0].shape.slice(1)).toEqual(shape);
      expect(concreteShape((xs) => model.predict(xs.length === 1 ? xs[0] : xs), row.inputs)).toEqual(shape);
      expect(model.countParams()).toBe(result.totals.totalParams);
      expect(weightCount(model.trainableWeights)).toBe(result.totals.trainableParams);
      expect(weightCount(model.nonTrainableWeights)).toBe(result.totals.nonTrainableParams);
    } finally {
      model.dispose();
    }
  });
});
