import { thousands } from '../format';
import { without } from '../interop/keras-config';
import { defineLayer } from '../layer-spec';
import { int } from '../params';
import { entry, toFirst, toLast, weight } from '../interop/pytorch-form';
import { weightOf } from '../interop/onnx-form';

/** A learned lookup table: each token id becomes a vector. */
export const embedding = defineLayer({
  type: 'Embedding',
  category: 'core',
  keywords: 'embedding lookup token word vector vocabulary text nlp',
  description: 'Turns token ids (whole numbers 0 … inputDim − 1, e.g. the words of a sentence by their number in a vocabulary) into learned vectors of outputDim numbers: [timesteps] → [timesteps, outputDim]. The usual first layer of a text model, before an LSTM or GRU.',
  params: {
    inputDim: int({ min: 1, required: true, initial: 1000, help: 'Vocabulary size: ids go from 0 to inputDim − 1' }),
    outputDim: int({ min: 1, required: true, initial: 16, help: 'Length of the vector each id becomes' }),
  },
  arity: { min: 1, max: 1 },
  example: { params: { inputDim: 50, outputDim: 8 }, inputs: [[10]] },
  summary: (p) => `${thousands(p.inputDim)} ids → ${p.outputDim}`,
  inferShape: (p, [x]) => [...x, p.outputDim],
  countParams: (p) => ({ trainable: p.inputDim * p.outputDim, nonTrainable: 0 }),
  paramFormula: (p) => `${p.inputDim}·${p.outputDim} = ${thousands(p.inputDim * p.outputDim)}`,
  toKeras: (p) => ({ cls: 'layers.Embedding', args: [String(p.inputDim), String(p.outputDim)] }),
  pytorch: {
    module: (p) => `nn.Embedding(${p.inputDim}, ${p.outputDim})`,
    // tfjs casts the ids to integers (truncating), as .long() does.
    forward: (_p, { inputs: [x], output }, [a], m) => toFirst(`${m}(${toLast(a, x)}.long())`, output),
    weights: (_p, w) => entry('weight', weight(w, 'embeddings')),
  },
  tfjs: {
    // tfjs writes the batch_input_shape its constructor gives itself when no input_length is set,
    // and with it the dtype once the layer is loaded from a config: written so, a loaded model
    // writes back the same config.
    write: (p) => ({
      class_name: 'Embedding',
      config: {
        input_dim: p.inputDim, output_dim: p.outputDim,
        embeddings_initializer: { class_name: 'RandomUniform', config: { minval: -0.05, maxval: 0.05, seed: null } },
        embeddings_regularizer: null, activity_regularizer: null, embeddings_constraint: null, mask_zero: null,
        input_length: null, batch_input_shape: [null, null], dtype: 'float32',
      },
    }),
    reads: ['Embedding'],
    read: (c) => {
      const notes = c.mask_zero === true ? ['mask_zero is not supported; imported without masking (id 0 is embedded like any other id, and padding steps are not skipped)'] : [];
      return { params: without({ inputDim: c.input_dim, outputDim: c.output_dim }, {}), notes };
    },
  },
  onnx: {
    // tfjs truncates the ids to integers, as Cast to INT64 does.
    write: (p, { inputs: [x] }, w, ctx) => ctx.node('Gather', [ctx.weight('embeddings', [p.inputDim, p.outputDim], weightOf(w, 'embeddings').values),
      ctx.node('Cast', [x], { to: { i: 7 } })], { axis: { i: 0 } }),
  },
});
