import { pyTuple } from '../emit/python';
import { defineLayer, fmtShape } from '../layer-spec';
import { shape } from '../params';

/** `[null, 28, 28, 1]` → `[28, 28, 1]`. */
const batchless = (v: unknown) => (Array.isArray(v) && v.length >= 2 ? v.slice(1) : undefined);

/** Where data enters the model: one example's shape, without the batch axis. */
export const input = defineLayer({
  type: 'Input',
  category: 'core',
  description: 'Where data enters the network. Its shape is one example without the batch axis: [28, 28, 1] for a grey 28×28 image, [2] for a point in the plane.',
  params: {
    shape: shape({ required: true, initial: [28, 28, 1], help: 'Shape of one example, without the batch axis, e.g. [28, 28, 1]' }),
  },
  arity: { min: 0, max: 0 },
  example: { params: { shape: [4, 4, 2] }, inputs: [] },
  summary: (p) => fmtShape(p.shape),
  inferShape: (p) => [...p.shape],
  toKeras: (p) => ({ cls: 'keras.Input', args: [`shape=${pyTuple(p.shape)}`] }),
  pytorch: {},
  tfjs: {
    write: (p) => ({ class_name: 'InputLayer', config: { batch_input_shape: [null, ...p.shape], dtype: 'float32', sparse: false } }),
    reads: ['InputLayer'],
    read: (c) => {
      const shape = batchless(c.batch_input_shape) ?? batchless(c.batch_shape) ?? (Array.isArray(c.input_shape) ? c.input_shape : undefined);
      return { params: shape ? { shape } : {} };
    },
  },
  onnx: {
    write: (_p, { outShape }, _w, ctx) => ctx.graphInput(outShape),
  },
});
