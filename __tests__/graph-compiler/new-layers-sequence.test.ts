/**
 * The sequence layers (Embedding, LSTM, GRU, LayerNormalization) beyond the per-layer tfjs table:
 * diagnostics for inputs they cannot take, the model.json round trip with tfjs-layers as the
 * judge (tfjs loads the export with the same count and writes the same topology back; the import
 * gives the same params), a Keras 3 config read faithfully, and the Keras lines.
 */
import * as tf from '@tensorflow/tfjs';
import { compile, toKeras, type GraphDocument } from '@/graph-compiler';
import { fromModelJson, toModelJson, toModelTopology } from '@/graph-compiler/interop';
import { templateById } from '@/lib/templates';

tf.env().set('PROD', true);

type Params = Record<string, unknown>;

/** Input of `shape` → one layer → (optionally) a Dense head. */
function doc(type: string, params: Params, shape: number[], head = false): GraphDocument {
  return {
    format: 'layerboard.graph', version: 1, name: `one ${type}`,
    nodes: [
      { id: 'in', type: 'Input', params: { shape } },
      { id: 'x', type, params },
      ...(head ? [{ id: 'out', type: 'Dense', params: { units: 3, activation: 'softmax' } }] : []),
    ],
    edges: [{ source: 'in', target: 'x' }, ...(head ? [{ source: 'x', target: 'out' }] : [])],
  };
}

const errors = (d: GraphDocument) => compile(d).diagnostics.filter((x) => x.severity === 'error');

describe('diagnostics', () => {
  test.each(['LSTM', 'GRU'])('%s on a flat vector: input-rank, with a Reshape to suggest', (type) => {
    const [e] = errors(doc(type, { units: 8 }, [784]));
    expect(e).toMatchObject({ code: 'input-rank', nodeId: 'x' });
    expect(e.message).toBe(`${type} "x": ${type} needs a sequence [timesteps, features], one row of features per step, but its input is [784] (a flat vector). Add a Reshape to [28, 28] before it (or feed it from an Embedding of token ids).`);
  });

  test('LSTM on an image: rows as timesteps', () => {
    const [e] = errors(doc('LSTM', { units: 8 }, [28, 28, 1]));
    expect(e.code).toBe('input-rank');
    expect(e.message).toContain('its input is [28, 28, 1] (an image: rows can be the timesteps). Add a Reshape to [28, 28] before it.');
  });

  test('a flat vector of a prime length gets [n, 1]', () => {
    expect(errors(doc('GRU', { units: 2 }, [7]))[0].message).toContain('Add a Reshape to [7, 1]');
  });

  test.each([
    ['LSTM', { units: 0 }, 'units'],
    ['LSTM', { units: 4, dropout: 1 }, 'dropout'],
    ['GRU', { units: 4, recurrentDropout: -0.1 }, 'recurrentDropout'],
    ['GRU', { units: 4, activation: 'softmax' }, 'activation'],
    ['LSTM', { units: 4, recurrentActivation: 'relu' }, 'recurrentActivation'],
    ['Embedding', { inputDim: 0, outputDim: 4 }, 'inputDim'],
    ['Embedding', { inputDim: 10, outputDim: 2.5 }, 'outputDim'],
    ['LayerNormalization', { epsilon: 0 }, 'epsilon'],
  ])('%s %j: param-invalid on %s', (type, params, param) => {
    const shape = type === 'Embedding' ? [5] : [5, 3];
    expect(errors(doc(type, params, shape))).toEqual([expect.objectContaining({ code: 'param-invalid', nodeId: 'x', param })]);
  });

  test('Embedding without its sizes: param-missing', () => {
    expect(errors(doc('Embedding', {}, [5])).map((e) => [e.code, e.param])).toEqual([['param-missing', 'inputDim'], ['param-missing', 'outputDim']]);
  });

  test('the param arithmetic has the numbers', () => {
    const r = compile(templateById('lstm-mnist')!.doc);
    expect(r.nodes.lstm.paramFormula).toBe('4·(64·(28 + 64) + 64) = 23,808');
    expect(compile(doc('GRU', { units: 5, useBias: false }, [4, 3])).nodes.x.paramFormula).toBe('3·5·(3 + 5) = 120');
    expect(compile(doc('Embedding', { inputDim: 1000, outputDim: 16 }, [20])).nodes.x.paramFormula).toBe('1000·16 = 16,000');
    expect(compile(doc('LayerNormalization', { center: false }, [4, 6])).nodes.x.paramFormula).toBe('1·6 = 6 (γ)');
  });
});

const CASES: [string, Params, number[]][] = [
  ['Embedding', { inputDim: 20, outputDim: 3 }, [6]],
  ['LSTM', { units: 5 }, [6, 3]],
  ['LSTM', { units: 4, returnSequences: true, useBias: false, activation: 'relu', recurrentActivation: 'hardSigmoid', dropout: 0.1, recurrentDropout: 0.2, l1: 0.01, l2: 0.02 }, [6, 3]],
  ['GRU', { units: 5 }, [6, 3]],
  ['GRU', { units: 3, returnSequences: true, recurrentActivation: 'hardSigmoid', l2: 0.001 }, [6, 3]],
  ['LayerNormalization', {}, [6, 3]],
  ['LayerNormalization', { epsilon: 0.01, center: false }, [8]],
];

describe('model.json: tfjs loads it with the same count, writes the same topology back, and it imports to the same params', () => {
  test.each(CASES)('%s %j on %j', async (type, params, shape) => {
    const d = doc(type, params, shape, true);
    const result = compile(d);
    expect(result.ok).toBe(true);
    const json = JSON.parse(JSON.stringify(toModelJson(result, d.name)));
    const model = await tf.models.modelFromJSON(json);
    try {
      expect(model.countParams()).toBe(result.totals.totalParams);
      expect(model.layers[1].getClassName()).toBe(type);
      const theirs = model.toJSON(null, false) as { config: { layers: unknown[] } };
      expect(theirs.config.layers).toEqual(toModelTopology(result, d.name).config.layers);
      const y = tf.tidy(() => (model.predict(tf.ones([2, ...shape])) as tf.Tensor).shape);
      expect(y).toEqual([2, ...result.nodes.out.outputShape!]);
    } finally {
      model.dispose();
    }
    const imported = fromModelJson(json);
    if (!imported.ok) throw new Error(imported.message);
    expect(imported.messages).toEqual([]);
    expect(imported.doc.nodes.find((n) => n.id === 'x')).toEqual({ id: 'x', type, params });
    expect(compile(imported.doc).totals).toEqual(result.totals);
  });

  test('the gate activation is written out: tfjs would default to hard_sigmoid', () => {
    const layers = toModelTopology(compile(doc('LSTM', { units: 2 }, [3, 2]))).config.layers;
    expect(layers[1].config).toMatchObject({ recurrent_activation: 'sigmoid', unit_forget_bias: true });
    const gru = toModelTopology(compile(doc('GRU', { units: 2, recurrentActivation: 'hardSigmoid' }, [3, 2]))).config.layers;
    expect(gru[1].config).toMatchObject({ recurrent_activation: 'hard_sigmoid', reset_after: false });
  });
});

/** An LSTM and a GRU as Keras 3.6 writes them (model.to_json() through tensorflowjs_converter). */
function keras3Model(gru: Params = {}) {
  const layer = (className: string, name: string, config: Params, from: string) => ({
    module: 'keras.layers', class_name: className, registered_name: null, name,
    config: { name, trainable: true, dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null }, ...config },
    build_config: { input_shape: null },
    inbound_nodes: [{ args: [{ class_name: '__keras_tensor__', config: { shape: [null, 10], dtype: 'float32', keras_history: [from, 0, 0] } }], kwargs: {} }],
  });
  const init = (className: string, config: Params = {}) => ({ module: 'keras.initializers', class_name: className, config, registered_name: null });
  const recurrent = {
    activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true,
    kernel_initializer: init('GlorotUniform', { seed: null }), recurrent_initializer: init('OrthogonalInitializer', { gain: 1.0, seed: null }),
    bias_initializer: init('Zeros'), kernel_regularizer: null, recurrent_regularizer: null, bias_regularizer: null,
    activity_regularizer: null, kernel_constraint: null, recurrent_constraint: null, bias_constraint: null,
    dropout: 0.0, recurrent_dropout: 0.0, seed: null, return_sequences: false, return_state: false, go_backwards: false,
    stateful: false, unroll: false, zero_output_for_mask: false,
  };
  return {
    format: 'layers-model', generatedBy: 'keras v3.6.0', convertedBy: 'TensorFlow.js Converter v4.22.0',
    modelTopology: {
      keras_version: '3.6.0', backend: 'tensorflow',
      model_config: {
        module: 'keras.src.models.functional', class_name: 'Functional', registered_name: 'Functional',
        config: {
          name: 'text', trainable: true,
          layers: [
            { module: 'keras.layers', class_name: 'InputLayer', registered_name: null, name: 'tokens', config: { batch_shape: [null, 10], dtype: 'float32', sparse: false, name: 'tokens' }, inbound_nodes: [] },
            layer('Embedding', 'embedding', { input_dim: 500, output_dim: 8, embeddings_initializer: init('RandomUniform', { minval: -0.05, maxval: 0.05, seed: null }), embeddings_regularizer: null, activity_regularizer: null, embeddings_constraint: null, mask_zero: false, lora_rank: null }, 'tokens'),
            layer('LSTM', 'lstm', { ...recurrent, units: 16, return_sequences: true, unit_forget_bias: true, use_cudnn: 'auto' }, 'embedding'),
            layer('LayerNormalization', 'layer_normalization', { axis: -1, epsilon: 0.001, center: true, scale: true, rms_scaling: false, beta_initializer: init('Zeros'), gamma_initializer: init('Ones'), beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null }, 'lstm'),
            layer('GRU', 'gru', { ...recurrent, units: 4, reset_after: false, use_cudnn: 'auto', ...gru }, 'layer_normalization'),
            layer('Dense', 'dense', { units: 1, activation: 'sigmoid', use_bias: true, kernel_initializer: init('GlorotUniform', { seed: null }), bias_initializer: init('Zeros'), kernel_regularizer: null, bias_regularizer: null, kernel_constraint: null, bias_constraint: null }, 'gru'),
          ],
          input_layers: [['tokens', 0, 0]],
          output_layers: [['dense', 0, 0]],
        },
      },
    },
  };
}

describe('a Keras 3 model with Embedding, LSTM, LayerNormalization and GRU', () => {
  test('imports to the same network tfjs-layers builds', () => {
    const imported = fromModelJson(keras3Model());
    if (!imported.ok) throw new Error(imported.message);
    expect(imported.messages).toEqual([]);
    expect(imported.doc.nodes.map((n) => [n.type, n.params])).toEqual([
      ['Input', { shape: [10] }],
      ['Embedding', { inputDim: 500, outputDim: 8 }],
      ['LSTM', { units: 16, returnSequences: true }],
      ['LayerNormalization', {}],
      ['GRU', { units: 4 }],
      ['Dense', { units: 1, activation: 'sigmoid' }],
    ]);
    const result = compile(imported.doc);
    expect(result.ok).toBe(true);
    const x = tf.input({ shape: [10] });
    let h = tf.layers.embedding({ inputDim: 500, outputDim: 8 }).apply(x) as tf.SymbolicTensor;
    h = tf.layers.lstm({ units: 16, returnSequences: true }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.layerNormalization().apply(h) as tf.SymbolicTensor;
    h = tf.layers.gru({ units: 4 }).apply(h) as tf.SymbolicTensor;
    const reference = tf.model({ inputs: x, outputs: tf.layers.dense({ units: 1 }).apply(h) as tf.SymbolicTensor });
    expect(result.totals.totalParams).toBe(reference.countParams());
    // 500·8 + 4·(16·(8 + 16) + 16) + 2·16 + 3·(4·(16 + 4) + 4) + 5
    expect(result.totals.totalParams).toBe(4_000 + 1_600 + 32 + 252 + 5);
    reference.dispose();
  });

  test('what tfjs cannot do is said: reset_after true, mask_zero, return_state', () => {
    const json = keras3Model({ reset_after: true, return_state: true });
    const layers = json.modelTopology.model_config.config.layers as { config: Params }[];
    layers[1].config.mask_zero = true;
    const imported = fromModelJson(json);
    if (!imported.ok) throw new Error(imported.message);
    expect(imported.messages).toEqual([
      'Layer "embedding" (Embedding): mask_zero is not supported; imported without masking (id 0 is embedded like any other id, and padding steps are not skipped).',
      'Layer "gru" (GRU): return_state is not supported; only the main output is imported.',
      'Layer "gru" (GRU): reset_after true (the Keras 3 default) is not supported by tfjs; imported with reset_after false, which has one bias per gate instead of two (12 fewer weights).',
    ]);
  });

  test('LayerNormalization over several axes is left out with its reason', () => {
    const json = keras3Model();
    (json.modelTopology.model_config.config.layers as { config: Params }[])[3].config.axis = [1, 2];
    const imported = fromModelJson(json);
    if (!imported.ok) throw new Error(imported.message);
    expect(imported.leftOut).toEqual(['layer_normalization']);
    expect(imported.messages[0]).toContain('normalising over axis [1,2] is not supported (only the last axis, -1)');
  });
});

describe('Keras export', () => {
  test.each([
    ['LSTM', { units: 64 }, [28, 28], 'layers.LSTM(64, name="x")'],
    ['LSTM', { units: 8, returnSequences: true, dropout: 0.2, l2: 0.01 }, [5, 3], 'layers.LSTM(8, dropout=0.2, return_sequences=True, kernel_regularizer=keras.regularizers.L2(0.01), name="x")'],
    ['LSTM', { units: 8, recurrentActivation: 'hardSigmoid', useBias: false }, [5, 3], 'layers.LSTM(8, recurrent_activation=lambda x: keras.ops.clip(0.2 * x + 0.5, 0.0, 1.0), use_bias=False, name="x")'],
    ['GRU', { units: 32 }, [5, 3], 'layers.GRU(32, reset_after=False, name="x")'],
    ['GRU', { units: 4, activation: 'relu', recurrentDropout: 0.1 }, [5, 3], 'layers.GRU(4, activation="relu", recurrent_dropout=0.1, reset_after=False, name="x")'],
    ['Embedding', { inputDim: 10000, outputDim: 32 }, [100], 'layers.Embedding(10000, 32, name="x")'],
    ['LayerNormalization', {}, [5, 3], 'layers.LayerNormalization(name="x")'],
    ['LayerNormalization', { epsilon: 0.00001, scale: false }, [5, 3], 'layers.LayerNormalization(epsilon=0.00001, scale=False, name="x")'],
  ])('%s %j', (type, params, shape, line) => {
    const d = doc(type, params, shape);
    const py = toKeras(d, compile(d));
    expect(py).toContain(`x = ${line}(in_)`);
  });
});

describe('templates, against tfjs-layers', () => {
  test('LSTM on MNIST rows: 24,458 params, as tfjs counts them', () => {
    const result = compile(templateById('lstm-mnist')!.doc);
    expect(result.ok).toBe(true);
    expect(result.nodes.lstm.outputShape).toEqual([64]);
    const x = tf.input({ shape: [28, 28] });
    // Build the same model with 8 units too: tfjs' orthogonal initializer is slow for 64.
    const counts = [8, 64].map((units) => {
      const lstm = tf.layers.lstm({ units, recurrentInitializer: 'glorotNormal' });
      const m = tf.model({ inputs: x, outputs: tf.layers.dense({ units: 10 }).apply(lstm.apply(x)) as tf.SymbolicTensor });
      const n = m.countParams();
      m.dispose();
      return n;
    });
    expect(counts).toEqual([4 * (8 * (28 + 8) + 8) + 8 * 10 + 10, result.totals.totalParams]);
    expect(result.totals.totalParams).toBe(24_458);
  });

  test('GRU text classifier: 326,273 params, as tfjs counts them', () => {
    const result = compile(templateById('gru-text')!.doc);
    expect(result.ok).toBe(true);
    const x = tf.input({ shape: [100] });
    const h = tf.layers.gru({ units: 32, recurrentInitializer: 'glorotNormal' }).apply(tf.layers.embedding({ inputDim: 10_000, outputDim: 32 }).apply(x));
    const m = tf.model({ inputs: x, outputs: tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(h) as tf.SymbolicTensor });
    expect(result.totals.totalParams).toBe(m.countParams());
    expect(result.totals.totalParams).toBe(326_273);
    m.dispose();
  });
});
