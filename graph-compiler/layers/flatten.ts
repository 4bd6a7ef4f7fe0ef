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
});
