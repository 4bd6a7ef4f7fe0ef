import { padExpr, tuple, windowPadding } from '../interop/pytorch-form';
import { definePooling2d } from './pooling-common';

/** Keeps the largest value of each window. */
export const maxPooling2d = definePooling2d({
  type: 'MaxPooling2D',
  description: 'Keeps the largest value in each window of every channel: shrinks the image (2×2 halves it) and keeps the strongest responses. No weights.',
  keywords: 'maxpool pool downsample',
  aliases: ['MaxPool2D'],
  example: { params: { poolSize: 3, strides: 2 }, inputs: [[9, 9, 2]] },
  pytorch: {
    // "same" pads with −∞ (TensorFlow takes the maximum of the window's real values only).
    forward: (p, { inputs: [x] }, [a]) => {
      const strides = p.strides ?? p.poolSize;
      const { sym, pad } = windowPadding(p.padding, x, p.poolSize, strides);
      const all = pad ?? [sym[1], sym[1], sym[0], sym[0]];
      return `F.max_pool2d(${padExpr(a, all.some((v) => v > 0) ? all : null, 'float("-inf")')}, ${tuple(p.poolSize)}, ${tuple(strides)})`;
    },
  },
});
