import { defineGlobalPooling2d } from './pooling-common';

/** One maximum per channel. */
export const globalMaxPooling2d = defineGlobalPooling2d({
  type: 'GlobalMaxPooling2D',
  description: 'Takes the largest value of each channel over the whole image: [h, w, c] becomes [c]. No weights.',
  keywords: 'gmp maxpool',
  aliases: ['GlobalMaxPool2D'],
  example: { params: {}, inputs: [[5, 5, 3]] },
  pytorch: { forward: (_p, _io, [a]) => `${a}.amax(dim=(2, 3))` },
});
