import { pyTuple } from '../emit/python';
import { defineLayer, fmtShape, size } from '../layer-spec';
import { shape } from '../params';
import { toFirst, toLast } from '../interop/pytorch-form';
import { readReshape } from '../interop/onnx-form';

/** Gives the same values another shape. */
export const reshape = defineLayer({
  type: 'Reshape',
  category: 'reshaping',
  description: 'Gives the same values a new shape with the same number of elements, e.g. [784] into [28, 28, 1]. One entry may be -1: it takes whatever is left.',
  params: {
    targetShape: shape({ required: true, initial: [-1], allowInferred: true, help: 'The new shape without the batch axis; one entry may be -1' }),
  },
  arity: { min: 1, max: 1 },
  example: { params: { targetShape: [2, 6] }, inputs: [[3, 4]] },
  keepsActivation: true,
  summary: (p) => `→ ${fmtShape(p.targetShape)}`,
  inferShape: (p, [x], ctx) => {
    const have = size(x);
    const known = size(p.targetShape.filter((d) => d !== -1));
    if (p.targetShape.includes(-1)) {
      if (have % known !== 0) {
        ctx.error('reshape-size', `its input ${fmtShape(x)} has ${have} values, which do not divide into ${fmtShape(p.targetShape)}: ${have}/${known} = ${Math.round((have / known) * 1000) / 1000} is not a whole number.`, 'targetShape');
        return null;
      }
      return p.targetShape.map((d) => (d === -1 ? have / known : d));
    }
    if (known !== have) {
      ctx.error('reshape-size', `its input ${fmtShape(x)} has ${x.join('·')} = ${have} values but ${fmtShape(p.targetShape)} holds ${p.targetShape.join('·')} = ${known}; the number of values must stay the same.`, 'targetShape');
      return null;
    }
    return [...p.targetShape];
  },
  toKeras: (p) => ({ cls: 'layers.Reshape', args: [pyTuple(p.targetShape)] }),
  pytorch: {
    // The document's row-major order is channels-last: reshape there, then move an image back.
    forward: (_p, { inputs: [x], output }, [a]) => toFirst(`${toLast(a, x)}.reshape(-1, ${output.join(', ')})`, output),
  },
  // The resolved shape, not targetShape: tfjs mishandles -1 at run time (and rewrites the
  // array in place, -1 becoming null, which would corrupt the cached params).
  tfjs: {
    // The resolved shape: tfjs mishandles -1 at run time.
    write: (_p, { output }) => ({ class_name: 'Reshape', config: { target_shape: [...output] } }),
    reads: ['Reshape'],
    read: (c) => ({ params: { targetShape: Array.isArray(c.target_shape) ? c.target_shape.map((d) => (d === null ? -1 : d)) : c.target_shape } }),
  },
  onnx: {
    write: (_p, { inputs: [x], inShapes: [s], outShape }, _w, ctx) => {
      const y = ctx.node('Reshape', [s.length === 3 ? ctx.toNhwc(x) : x, ctx.constant('shape', [outShape.length + 1], [-1, ...outShape], 'int64')]);
      return outShape.length === 3 ? ctx.toNchw(y) : y;
    },
    ops: ['Reshape'],
    read: readReshape,
  },
});
