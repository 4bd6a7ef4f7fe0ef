import { defineGlobalPooling2d } from './pooling-common';

/** One average per channel. */
export const globalAveragePooling2d = defineGlobalPooling2d({
  type: 'GlobalAveragePooling2D',
  description: 'Averages each channel over the whole image: [h, w, c] becomes [c]. Replaces Flatten before the classifier in ResNet and MobileNet, with no weights.',
  keywords: 'gap avgpool',
  aliases: ['GlobalAvgPool2D'],
  example: { params: {}, inputs: [[5, 5, 3]] },
  pytorch: { forward: (_p, _io, [a]) => `${a}.mean(dim=(2, 3))` },
});
