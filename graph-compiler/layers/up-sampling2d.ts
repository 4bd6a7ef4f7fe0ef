import { kw, pyStr, pyTuple } from '../emit/python';
import { pairText } from '../conv-utils';
import { pair, without } from '../interop/keras-config';
import { defineLayer, needsImage } from '../layer-spec';
import { choice, intOrPair, type IntPair } from '../params';
import { tuple } from '../interop/pytorch-form';
import { pairParam } from '../interop/onnx-form';

/** tfjs resizes without the half-pixel offset that F.interpolate's bilinear mode always applies. */
const RESIZE_BILINEAR_TF = `def _resize_bilinear_tf(x, height, width):
    """Bilinear resize as tfjs's resizeBilinear does it: source = output index * in / out (no half-pixel offset)."""
    def axis(n_in, n_out):
        src = torch.arange(n_out, dtype=x.dtype, device=x.device) * (n_in / n_out)
        lo = src.floor().long()
        return lo, torch.clamp(lo + 1, max=n_in - 1), src - lo.to(x.dtype)
    r0, r1, fr = axis(x.shape[2], height)
    c0, c1, fc = axis(x.shape[3], width)
    rows = x[:, :, r0] * (1 - fr)[:, None] + x[:, :, r1] * fr[:, None]
    return rows[:, :, :, c0] * (1 - fc) + rows[:, :, :, c1] * fc`;

/** The interpolations tfjs-layers 4.22 has (its VALID_INTERPOLATION_FORMAT_VALUES). */
const INTERPOLATIONS = ['nearest', 'bilinear'] as const;

/** Repeats rows and columns: the fixed, weightless upsampling of decoders. */
export const upSampling2d = defineLayer({
  type: 'UpSampling2D',
  category: 'reshaping',
  keywords: 'upsample upscale enlarge resize decoder unet nearest bilinear',
  description: 'Makes the image larger by a whole factor: "nearest" repeats each pixel size×size times, "bilinear" blends neighbours smoothly. No weights; often followed by a Conv2D in a decoder.',
  params: {
    size: intOrPair({ default: [2, 2] as IntPair, help: 'Factor for height and width, e.g. 2 or [2, 3]' }),
    interpolation: choice(INTERPOLATIONS, { default: 'nearest', help: '"nearest": copy each pixel; "bilinear": blend the four nearest pixels' }),
  },
  arity: { min: 1, max: 1 },
  example: { params: { size: [2, 3], interpolation: 'bilinear' }, inputs: [[3, 4, 2]] },
  summary: (p) => `×${p.size[0] === p.size[1] ? p.size[0] : pairText(p.size)} ${p.interpolation}`,
  inferShape: (p, [x], ctx) => {
    if (x.length !== 3) return needsImage('UpSampling2D', x, ctx);
    return [x[0] * p.size[0], x[1] * p.size[1], x[2]];
  },
  shapeFormula: (p, { inputs: [x], output }) => {
    const h = `${x[0]}·${p.size[0]} = ${output[0]}`;
    const w = `${x[1]}·${p.size[1]} = ${output[1]}`;
    return h === w ? [h] : [`height: ${h}`, `width: ${w}`];
  },
  toKeras: (p) => ({
    cls: 'layers.UpSampling2D',
    args: [...kw('size', pyTuple(p.size), p.size[0] === 2 && p.size[1] === 2), ...kw('interpolation', pyStr(p.interpolation), p.interpolation === 'nearest')],
  }),
  pytorch: {
    forward: (p, { output }, [a]) => (p.interpolation === 'nearest'
      ? `F.interpolate(${a}, scale_factor=${tuple(p.size)}, mode="nearest")`
      : `_resize_bilinear_tf(${a}, ${output[0]}, ${output[1]})`),
    helpers: (p): Record<string, string> => (p.interpolation === 'nearest' ? {} : { _resize_bilinear_tf: RESIZE_BILINEAR_TF }),
  },
  tfjs: {
    write: (p) => ({ class_name: 'UpSampling2D', config: { size: p.size, data_format: 'channels_last', interpolation: p.interpolation } }),
    reads: ['UpSampling2D'],
    read: (c) => {
      const notes: string[] = [];
      if (c.data_format === 'channels_first') notes.push('data_format "channels_first" is read as channels_last (Layerboard images are [height, width, channels])');
      let interpolation = c.interpolation;
      if (typeof interpolation === 'string' && !(INTERPOLATIONS as readonly string[]).includes(interpolation)) {
        notes.push(`interpolation "${interpolation}" is imported as "bilinear" (TensorFlow.js has only "nearest" and "bilinear")`);
        interpolation = 'bilinear';
      }
      return { params: without({ size: pair(c.size), interpolation }, { size: 2, interpolation: 'nearest' }), notes };
    },
  },
  onnx: {
    // tfjs resizes with align_corners and half_pixel_centers off: ONNX's "asymmetric" coordinates.
    write: (p, { inputs: [x] }, _w, ctx) => ctx.node('Resize', [x, '', ctx.constant('scales', [4], [1, 1, p.size[0], p.size[1]], 'float')], {
      mode: { s: p.interpolation === 'bilinear' ? 'linear' : 'nearest' }, coordinate_transformation_mode: { s: 'asymmetric' }, nearest_mode: { s: 'floor' },
    }),
    ops: ['Resize', 'Upsample'],
    read: (node, ctx) => {
      const x = ctx.shape(0);
      if (!x || x.length !== 4) return { reason: `its input is not an NCHW image (shape ${JSON.stringify(x)})` };
      const scales = ctx.constant(node.op === 'Upsample' ? 1 : 2)?.values;
      const sizes = ctx.constant(3)?.values;
      const f = scales && scales.length === 4 ? Array.from(scales) : sizes && sizes.length === 4 ? Array.from(sizes, (v, i) => v / x[i]) : undefined;
      if (!f || f[0] !== 1 || f[1] !== 1 || !Number.isInteger(f[2]) || !Number.isInteger(f[3]) || f[2] < 1 || f[3] < 1) {
        return { reason: `only whole-number scaling of height and width is read (scales ${JSON.stringify(f)})` };
      }
      const mode = String(node.attrs.mode ?? 'nearest');
      if (mode !== 'nearest' && mode !== 'linear') return { reason: `mode "${mode}" is not supported (only nearest and linear)` };
      const coords = String(node.attrs.coordinate_transformation_mode ?? 'half_pixel');
      // Nearest with whole-number scales picks the same pixels under every coordinate mode; linear does not.
      const notes = node.op === 'Resize' && mode === 'linear' && coords !== 'asymmetric'
        ? [`coordinate_transformation_mode "${coords}" is read as tfjs's asymmetric coordinates; values differ, most near the edges`] : [];
      return { layers: [{ type: 'UpSampling2D', params: { size: pairParam(f.slice(2)), ...(mode === 'linear' ? { interpolation: 'bilinear' } : {}) } }], notes, tensorInputs: [0] };
    },
  },
});
