import { pyTuple } from '../emit/python';
import { defineLayer, fmtShape } from '../layer-spec';
import { shape } from '../params';

/** Where data enters the model: one example's shape, without the batch axis. */
export const input = defineLayer({
  type: 'Input',
  category: 'core',
  description: 'Where data enters the network. Its shape is one example without the batch axis: [28, 28, 1] for a grey 28×28 image, [2] for a point in the plane.',
  params: {
    shape: shape({ required: true, help: 'Shape of one example, without the batch axis, e.g. [28, 28, 1]' }),
  },
  arity: { min: 0, max: 0 },
  summary: (p) => fmtShape(p.shape),
  inferShape: (p) => [...p.shape],
  toKeras: (p) => ({ cls: 'keras.Input', args: [`shape=${pyTuple(p.shape)}`] }),
  toTfjs: () => {
    throw new Error('Input is emitted with tf.input');
  },
});
