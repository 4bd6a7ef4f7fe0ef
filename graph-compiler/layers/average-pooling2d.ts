import { definePooling2d } from './pooling-common';

/** Averages each window. */
export const averagePooling2d = definePooling2d({
  type: 'AveragePooling2D',
  description: 'Averages each window of every channel: shrinks the image (2×2 halves it), as LeNet-5’s subsampling layers do. No weights.',
  keywords: 'avgpool pool downsample subsampling',
  aliases: ['AvgPool2D'],
  example: { params: { poolSize: 2, padding: 'same' }, inputs: [[7, 7, 2]] },
});
