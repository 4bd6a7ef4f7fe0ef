import { defineLayer, fmtShape } from '../layer-spec';

/** Element-wise sum of tensors of one shape. */
export const add = defineLayer({
  type: 'Add',
  category: 'merge',
  keywords: 'residual skip sum resnet',
  description: 'Adds two or more tensors of exactly the same shape, value by value: the skip connection of a ResNet block. No weights.',
  params: {},
  arity: { min: 2, max: Infinity },
  example: { params: {}, inputs: [[6], [6], [6]] },
  summary: () => 'a + b',
  inferShape: (_p, xs, ctx) => {
    const first = fmtShape(xs[0]);
    const bad = xs.findIndex((x) => fmtShape(x) !== first);
    if (bad > 0) {
      ctx.error('merge-shape', `Add needs inputs of one shape, but "${ctx.inputName(0)}" gives ${first} and "${ctx.inputName(bad)}" gives ${fmtShape(xs[bad])}. Make them match (e.g. a 1×1 Conv2D with the right filters and strides on the shortcut).`);
      return null;
    }
    return [...xs[0]];
  },
  toKeras: () => ({ cls: 'layers.Add', args: [] }),
  pytorch: {
    forward: (_p, _io, xs) => xs.join(' + '),
  },
  tfjs: {
    write: () => ({ class_name: 'Add', config: {} }),
    reads: ['Add'],
    read: () => ({ params: {} }),
  },
  onnx: {
    write: (_p, { inputs }, _w, ctx) => ctx.node(inputs.length === 2 ? 'Add' : 'Sum', inputs),
    ops: ['Add', 'Sum'],
    read: (node, ctx) => (node.inputs.some((_n, i) => ctx.constant(i))
      ? { reason: 'one of its inputs is a constant tensor; the Add layer adds tensors of the graph only' }
      : { layers: [{ type: 'Add', params: {} }] }),
  },
});
