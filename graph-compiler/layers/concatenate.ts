import { kw } from '../emit/python';
import { without } from '../interop/keras-config';
import { defineLayer, fmtShape } from '../layer-spec';
import { int } from '../params';
import { torchDim } from '../interop/pytorch-form';
import { docAxis, onnxAxis } from '../interop/onnx-form';

/**
 * The axis counted from the batch axis. tfjs-layers builds the right shape for a negative axis
 * other than -1 but joins along the wrong axis at run time, so only -1 is passed through.
 */
export function tfjsAxis(axis: number, rank: number): number {
  return axis < 0 && axis !== -1 ? rank + 1 + axis : axis;
}

/** Joins tensors along one axis. */
export const concatenate = defineLayer({
  type: 'Concatenate',
  category: 'merge',
  keywords: 'concat join merge inception',
  description: 'Joins two or more tensors along one axis (by default the last: the channels), as in Inception and U-Net. All other axes must match. No weights.',
  params: {
    axis: int({ default: -1, help: 'Axis to join along: -1 is the last (channels); 1 is the first after the batch axis' }),
  },
  arity: { min: 2, max: Infinity },
  example: { params: { axis: -1 }, inputs: [[4, 4, 2], [4, 4, 3]] },
  summary: (p) => `axis ${p.axis}`,
  inferShape: (p, xs, ctx) => {
    const rank = xs[0].length;
    const badRank = xs.findIndex((x) => x.length !== rank);
    if (badRank > 0) {
      ctx.error('merge-shape', `Concatenate needs inputs with the same number of axes, but "${ctx.inputName(0)}" gives ${fmtShape(xs[0])} and "${ctx.inputName(badRank)}" gives ${fmtShape(xs[badRank])}.`);
      return null;
    }
    if (p.axis === 0 || p.axis > rank || p.axis < -rank) {
      ctx.error('bad-axis', p.axis === 0
        ? 'axis 0 is the batch axis; examples cannot be joined. Use -1 for channels.'
        : `axis ${p.axis} does not exist for inputs with ${rank} axes (use 1…${rank} or −${rank}…−1).`, 'axis');
      return null;
    }
    const a = p.axis < 0 ? rank + p.axis : p.axis - 1;
    for (let i = 1; i < xs.length; i++) {
      const off = xs[i].findIndex((d, j) => j !== a && d !== xs[0][j]);
      if (off >= 0) {
        ctx.error('merge-shape', `Concatenate along axis ${p.axis} needs every other axis to match, but "${ctx.inputName(0)}" gives ${fmtShape(xs[0])} and "${ctx.inputName(i)}" gives ${fmtShape(xs[i])} (axis ${off + 1} differs: ${xs[0][off]} vs ${xs[i][off]}).`);
        return null;
      }
    }
    const out = [...xs[0]];
    out[a] = xs.reduce((s, x) => s + x[a], 0);
    return out;
  },
  shapeFormula: (p, { inputs, output }) => {
    const a = p.axis < 0 ? output.length + p.axis : p.axis - 1;
    return [`${inputs.map((x) => x[a]).join(' + ')} = ${output[a]} along axis ${p.axis}`];
  },
  toKeras: (p) => ({ cls: 'layers.Concatenate', args: kw('axis', String(p.axis), p.axis === -1) }),
  pytorch: {
    forward: (p, { inputs: [x] }, xs) => `torch.cat([${xs.join(', ')}], dim=${torchDim(p.axis < 0 ? x.length + p.axis : p.axis - 1, x)})`,
  },
  tfjs: {
    write: (p, { output }) => ({ class_name: 'Concatenate', config: { axis: tfjsAxis(p.axis, output.length) } }),
    reads: ['Concatenate'],
    read: (c) => ({ params: without({ axis: c.axis }, { axis: -1 }) }),
  },
  onnx: {
    write: (p, { inputs, inShapes: [s] }, _w, ctx) => ctx.node('Concat', inputs, { axis: { i: onnxAxis(p.axis, s.length) } }),
    ops: ['Concat'],
    read: (node, ctx) => {
      if (node.inputs.some((_n, i) => ctx.constant(i))) return { reason: 'one of its inputs is a constant tensor; Concatenate joins tensors of the graph only' };
      // torch.cat of a one-tensor list (DenseNet's first layer of each block) changes nothing.
      if (node.inputs.length === 1) return { pass: true, flatOrder: ctx.flatOrder(0) };
      const rank = ctx.shape(0)?.length ?? 0;
      const axis = docAxis(Number(node.attrs.axis ?? 0), rank);
      if (axis === undefined) return { reason: `joining along axis ${node.attrs.axis} (the batch axis) is not supported` };
      return { layers: [{ type: 'Concatenate', params: axis === -1 ? {} : { axis } }] };
    },
  },
});
