import { tuple, windowPadding } from '../interop/pytorch-form';
import { definePooling2d, type PoolParams } from './pooling-common';

/** F.pad's `(left, right, top, bottom)` for "same" pooling, or null when nothing is padded. */
function pads(p: PoolParams, x: number[]): number[] | null {
  const { sym, pad } = windowPadding(p.padding, x, p.poolSize, p.strides ?? p.poolSize);
  const all = pad ?? [sym[1], sym[1], sym[0], sym[0]];
  return all.some((v) => v > 0) ? all : null;
}

const AVG_POOL_SAME = `def _avg_pool_same(x, kernel, stride, pad):
    """TensorFlow's "same" average pooling: the padded zeros are not counted, each window is divided by the inputs it covers."""
    total = F.avg_pool2d(F.pad(x, pad), kernel, stride)
    covered = F.avg_pool2d(F.pad(torch.ones_like(x[:1, :1]), pad), kernel, stride)
    return total / covered`;

/** Averages each window. */
export const averagePooling2d = definePooling2d({
  type: 'AveragePooling2D',
  description: 'Averages each window of every channel: shrinks the image (2×2 halves it), as LeNet-5’s subsampling layers do. No weights.',
  keywords: 'avgpool pool downsample subsampling',
  aliases: ['AvgPool2D'],
  example: { params: { poolSize: 2, padding: 'same' }, inputs: [[7, 7, 2]] },
  pytorch: {
    forward: (p, { inputs: [x] }, [a]) => {
      const k = tuple(p.poolSize);
      const s = tuple(p.strides ?? p.poolSize);
      const pad = pads(p, x);
      return pad ? `_avg_pool_same(${a}, ${k}, ${s}, (${pad.join(', ')}))` : `F.avg_pool2d(${a}, ${k}, ${s})`;
    },
    helpers: (p, { inputs: [x] }): Record<string, string> => (pads(p, x) ? { _avg_pool_same: AVG_POOL_SAME } : {}),
  },
});
