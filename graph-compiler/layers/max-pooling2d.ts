import { definePooling2d } from './pooling-common';

/** Keeps the largest value of each window. */
export const maxPooling2d = definePooling2d({
  type: 'MaxPooling2D',
  description: 'Keeps the largest value in each window of every channel: shrinks the image (2×2 halves it) and keeps the strongest responses. No weights.',
  keywords: 'maxpool pool downsample',
  aliases: ['MaxPool2D'],
  example: { params: { poolSize: 3, strides: 2 }, inputs: [[9, 9, 2]] },
});
