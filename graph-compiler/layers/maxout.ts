import { kw, pyRegularizer } from '../emit/python';
import { registerCustomLayers } from '../emit/custom-layers';
import { defineLayer, size } from '../layer-spec';
import { int, regularizerParams } from '../params';

/** max over `pieces` affine maps of the last axis. */
export const maxout = defineLayer({
  type: 'Maxout',
  category: 'activation',
  description: 'Each unit computes `pieces` weighted sums of its inputs and keeps the largest: max(w1ᵀx + b1, w2ᵀx + b2, …). A learned, piecewise-linear activation (Goodfellow et al., 2013).',
  params: {
    units: int({ min: 1, required: true, help: 'Number of output units' }),
    pieces: int({ min: 1, default: 2, help: 'Affine pieces per unit; the unit outputs their maximum' }),
    ...regularizerParams,
  },
  arity: { min: 1, max: 1 },
  summary: (p) => `${p.units} units × ${p.pieces} pieces`,
  inferShape: (p, [x]) => [...x.slice(0, -1), p.units],
  countParams: (p, { inputs: [x] }) => ({ trainable: (x[x.length - 1] + 1) * p.units * p.pieces, nonTrainable: 0 }),
  paramFormula: (p, { inputs: [x] }) => {
    const n = x[x.length - 1];
    return `(${n}·${p.units} + ${p.units})·${p.pieces} = ${(n + 1) * p.units * p.pieces}`;
  },
  macs: (p, { inputs: [x] }) => size(x) * p.units * p.pieces,
  toKeras: (p) => ({ cls: 'Maxout', args: [String(p.units), ...kw('pieces', String(p.pieces), p.pieces === 2), ...pyRegularizer(p)] }),
  toTfjs: (tf, p, name) => new (registerCustomLayers(tf).Maxout)({ name, units: p.units, pieces: p.pieces, l1: p.l1, l2: p.l2 }),
});
