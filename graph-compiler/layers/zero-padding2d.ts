import { pyTuple } from '../emit/python';
import { pair, without } from '../interop/keras-config';
import { defineLayer, needsImage } from '../layer-spec';
import { padding2d, type Padding2D } from '../params';

/** Adds rows and columns of zeros around the image. */
export const zeroPadding2d = defineLayer({
  type: 'ZeroPadding2D',
  category: 'reshaping',
  keywords: 'pad padding',
  description: 'Adds rows and columns of zeros around each channel. This is the explicit “pad” of the textbook formula (N + 2·pad − F)/stride + 1: put it before a “valid” convolution.',
  params: {
    padding: padding2d({ default: [[1, 1], [1, 1]] as Padding2D, help: 'Zeros to add: n on every side, [rows, cols], or [[top, bottom], [left, right]]' }),
  },
  arity: { min: 1, max: 1 },
  example: { params: { padding: [[1, 2], [0, 1]] }, inputs: [[4, 4, 1]] },
  summary: (p) => {
    const [[t, b], [l, r]] = p.padding;
    return t === b && l === r ? (t === l ? `pad ${t}` : `pad ${t}, ${l}`) : `pad ${t},${b} ${l},${r}`;
  },
  inferShape: (p, [x], ctx) => {
    if (x.length !== 3) return needsImage('ZeroPadding2D', x, ctx);
    const [[t, b], [l, r]] = p.padding;
    return [x[0] + t + b, x[1] + l + r, x[2]];
  },
  shapeFormula: (p, { inputs: [x], output }) => {
    const [[t, b], [l, r]] = p.padding;
    const side = (n: number, a: number, c: number, o: number) => (a === c ? `${n} + 2·${a} = ${o}` : `${n} + ${a} + ${c} = ${o}`);
    const h = side(x[0], t, b, output[0]);
    const w = side(x[1], l, r, output[1]);
    return h === w ? [h] : [`height: ${h}`, `width: ${w}`];
  },
  toKeras: (p) => ({ cls: 'layers.ZeroPadding2D', args: [`padding=${pyTuple(p.padding.map((x) => pyTuple(x)))}`] }),
  pytorch: {
    forward: (p, _io, [a]) => `F.pad(${a}, (${[...p.padding[1], ...p.padding[0]].join(', ')}))`,
  },
  tfjs: {
    write: (p) => ({ class_name: 'ZeroPadding2D', config: { padding: p.padding, data_format: 'channels_last' } }),
    reads: ['ZeroPadding2D'],
    read: (c) => {
      let padding: unknown = c.padding ?? 1;
      if (Array.isArray(padding) && padding.every(Array.isArray)) {
        const [[t, b], [l, r]] = padding as number[][];
        padding = t === b && l === r ? (t === l ? t : [t, l]) : padding;
      } else padding = pair(padding);
      return { params: without({ padding }, { padding: 1 }) };
    },
  },
  onnx: {
    write: (p, { inputs: [x] }, _w, ctx) => {
      const [[t, b], [l, r]] = p.padding;
      return ctx.node('Pad', [x, ctx.constant('pads', [8], [0, 0, t, l, 0, 0, b, r], 'int64')], { mode: { s: 'constant' } });
    },
    ops: ['Pad'],
    read: (node, ctx) => {
      const mode = String(node.attrs.mode ?? 'constant');
      if (mode !== 'constant') return { reason: `mode "${mode}" is not supported (only constant zeros, as ZeroPadding2D)` };
      const value = ctx.constant(2)?.values[0] ?? node.attrs.value ?? 0;
      if (value !== 0) return { reason: `padding with ${value} is not supported (only zeros)` };
      const pads = ctx.constant(1)?.values ?? node.attrs.pads;
      const x = ctx.shape(0);
      if (!Array.isArray(pads) && !(pads instanceof Float32Array)) return { reason: 'its pads are not a constant' };
      const v = Array.from(pads as ArrayLike<number>);
      if (!x || x.length !== 4 || v.length !== 8 || v[0] || v[1] || v[4] || v[5] || v.some((n) => n < 0)) {
        return { reason: `pads ${JSON.stringify(v)} are not zero padding of an image's height and width` };
      }
      if (v.every((n) => n === 0)) return { pass: true };
      return { layers: [{ type: 'ZeroPadding2D', params: { padding: [[v[2], v[6]], [v[3], v[7]]] } }], tensorInputs: [0] };
    },
  },
});
