import { defineLayer, fmtShape } from '../layer-spec';
import type { Shape } from '../types';
import { isImage } from '../interop/pytorch-form';

/**
 * The shape of `a × b` as tfjs-layers' Merge `computeElementwiseOpOutputShape` computes it: the
 * shapes line up at their last axes, the longer one's leading axes are kept, and on each lined-up
 * axis the sizes must be equal or one of them 1 (repeated to fit). At run time tfjs inserts the
 * missing axes of the shorter input right after the batch axis, which lines them up the same way.
 * Returns the shape, or the offending axis (1-based, in the longer shape) and its two sizes.
 */
function broadcast(a: Shape, b: Shape): { shape: Shape } | { axis: number; sizes: [number, number] } {
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  const lead = long.length - short.length;
  const out = long.slice(0, lead);
  for (let k = 0; k < short.length; k++) {
    const i = long[lead + k];
    const j = short[k];
    if (i !== 1 && j !== 1 && i !== j) {
      return { axis: lead + k + 1, sizes: a.length >= b.length ? [i, j] : [j, i] };
    }
    out.push(i === 1 ? j : i);
  }
  return { shape: out };
}

/** Element-wise product, with broadcasting: the gate of squeeze-and-excitation and attention. */
export const multiply = defineLayer({
  type: 'Multiply',
  category: 'merge',
  keywords: 'product times elementwise gate gating attention squeeze excitation se broadcast',
  description: 'Multiplies two or more tensors value by value. Shapes must match axis by axis, except that a size of 1 is repeated to fit: a [1, 1, 64] tensor of channel weights scales every pixel of a [32, 32, 64] feature map, as in a squeeze-and-excitation block. No weights.',
  params: {},
  arity: { min: 2, max: Infinity },
  example: { params: {}, inputs: [[4, 4, 3], [1, 1, 3]] },
  summary: () => 'a × b',
  inferShape: (_p, xs, ctx) => {
    let acc = xs[0];
    for (let i = 1; i < xs.length; i++) {
      const r = broadcast(acc, xs[i]);
      if ('shape' in r) {
        acc = r.shape;
        continue;
      }
      const left = i === 1 ? `"${ctx.inputName(0)}" gives ${fmtShape(xs[0])}` : `the inputs before "${ctx.inputName(i)}" multiply to ${fmtShape(acc)}`;
      const rank = Math.max(acc.length, xs[i].length);
      const where = r.axis === rank ? 'the last axis' : `axis ${r.axis}`;
      const lined = acc.length !== xs[i].length ? ' (the shorter shape lines up with the last axes of the longer)' : '';
      ctx.error('merge-shape',
        `Multiply multiplies value by value, so each axis must have the same size in every input or size 1 (which is repeated to fit), but ${left} and "${ctx.inputName(i)}" gives ${fmtShape(xs[i])}: ${where} is ${r.sizes[0]} in one and ${r.sizes[1]} in the other${lined}. Make those sizes equal, or 1 to scale a whole axis by one value (a squeeze-and-excitation block reshapes its channel weights to [1, 1, channels]).`);
      return null;
    }
    return [...acc];
  },
  shapeFormula: (_p, { inputs, output }) => {
    const out = fmtShape(output);
    if (inputs.every((x) => fmtShape(x) === out)) return [];
    return [`${inputs.map(fmtShape).join(' × ')} → ${out}: axes of size 1 (and missing leading axes) are repeated to fit`];
  },
  toKeras: () => ({ cls: 'layers.Multiply', args: [] }),
  pytorch: {
    // Broadcasting lines shapes up from the last axis. An image's channels are dim 1 in PyTorch,
    // so a lower-rank input of an image product is first given the image's rank, channels-last,
    // and then moved channels-first like the image.
    forward: (_p, { inputs, output }, xs) => xs.map((a, i) => (isImage(output) && inputs[i].length < 3
      ? `${a}.reshape(-1, ${[...new Array(3 - inputs[i].length).fill(1), ...inputs[i]].join(', ')}).permute(0, 3, 1, 2)`
      : a)).join(' * '),
  },
  tfjs: {
    write: () => ({ class_name: 'Multiply', config: {} }),
    reads: ['Multiply'],
    read: () => ({ params: {} }),
  },
  onnx: {
    // Images are NCHW, so image inputs broadcast as in the document ([1, 1, C] is [C, 1, 1]); mixed ranks would not.
    write: (_p, { inputs, inShapes }, _w, ctx) => {
      if (inShapes.some((s) => s.length !== inShapes[0].length) && inShapes.some((s) => s.length === 3)) {
        return { reason: 'multiplying images by tensors of another rank has no NCHW form; reshape the smaller input to [1, 1, channels]' };
      }
      return inputs.slice(1).reduce((acc, x) => ctx.node('Mul', [acc, x]), inputs[0]);
    },
    ops: ['Mul'],
    read: (node, ctx) => (node.inputs.some((_n, i) => ctx.constant(i))
      ? { reason: 'one of its inputs is a constant tensor; the Multiply layer multiplies tensors of the graph only' }
      : { layers: [{ type: 'Multiply', params: {} }] }),
  },
});
