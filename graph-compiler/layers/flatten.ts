import { defineLayer, fmtShape, size } from '../layer-spec';
import { toLast } from '../interop/pytorch-form';

/** Unrolls a tensor into a vector. */
export const flatten = defineLayer({
  type: 'Flatten',
  category: 'reshaping',
  keywords: 'reshape vector',
  description: 'Unrolls its input into one long vector, e.g. [5, 5, 16] into [400], so that Dense layers can follow a convolutional part. No weights.',
  params: {},
  arity: { min: 1, max: 1 },
  example: { params: {}, inputs: [[3, 3, 2]] },
  keepsActivation: true,
  summary: () => '→ vector',
  inferShape: (_p, [x], ctx) => {
    if (x.length < 2) {
      ctx.error('input-rank', `its input ${fmtShape(x)} is already a flat vector; remove the Flatten.`);
      return null;
    }
    return [size(x)];
  },
  shapeFormula: (_p, { inputs: [x], output }) => [`${x.join('·')} = ${output[0]}`],
  toKeras: () => ({ cls: 'layers.Flatten', args: [] }),
  pytorch: {
    // tfjs flattens channels-last (h, w, c), so the image goes back to (N, H, W, C) first: the
    // Dense after it then sees the values in the order its tfjs weights expect.
    forward: (_p, { inputs: [x] }, [a]) => `torch.flatten(${toLast(a, x)}, 1)`,
  },
  tfjs: {
    write: () => ({ class_name: 'Flatten', config: {} }),
    reads: ['Flatten'],
    read: () => ({ params: {} }),
  },
  onnx: {
    // The document flattens [height, width, channels] position by position: NHWC first, as tfjs.
    write: (_p, { inputs: [x], inShapes: [s] }, _w, ctx) => ctx.node('Flatten', [s.length === 3 ? ctx.toNhwc(x) : x], { axis: { i: 1 } }),
    ops: ['Flatten'],
    read: (node, ctx) => {
      const axis = node.attrs.axis ?? 1;
      if (axis !== 1) return { reason: `flattening from axis ${axis} is not supported (only 1, keeping the batch axis)` };
      const x = ctx.shape(0);
      if (!x || x.length <= 2) return { pass: true, flatOrder: ctx.flatOrder(0) };
      const nhwc = node.attrs['layerboard.nhwcIn'] === 1;
      const order: [number, number, number] | undefined = x.length === 4 && !nhwc && x[2] * x[3] > 1 ? [x[1], x[2], x[3]] : undefined;
      return { layers: [{ type: 'Flatten', params: {} }], flatOrder: order };
    },
  },
});
