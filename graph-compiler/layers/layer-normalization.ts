import { kw, pyBool } from '../emit/python';
import { ONES, without, ZEROS } from '../interop/keras-config';
import { defineLayer, size } from '../layer-spec';
import { bool, float } from '../params';
import { entry, pyNumber, toFirst, toLast, weight } from '../interop/pytorch-form';
import { weightOf } from '../interop/onnx-form';

const LAYER_NORM_PYTHON = `class KerasLayerNorm(nn.Module):
    """Keras' LayerNormalization over the last axis, γ (scale) and β (center) each optional, which nn.LayerNorm cannot say."""

    def __init__(self, features, eps=0.001, center=True, scale=True):
        super().__init__()
        self.features, self.eps = features, eps
        self.weight = nn.Parameter(torch.ones(features)) if scale else None
        self.bias = nn.Parameter(torch.zeros(features)) if center else None

    def forward(self, x):
        return F.layer_norm(x, (self.features,), self.weight, self.bias, self.eps)`;

/** Normalises each example over its last axis. */
export const layerNormalization = defineLayer({
  type: 'LayerNormalization',
  category: 'normalization',
  keywords: 'layernorm ln normalization transformer',
  description: 'Normalises each example (at each position) to mean 0 and variance 1 over its last axis, then scales and shifts it with learned γ and β. Unlike BatchNormalization it does not depend on the batch, so it suits sequences and transformers. 2 numbers per feature.',
  params: {
    epsilon: float({ min: 0, minExclusive: true, default: 0.001, step: 0.001, help: 'Small number added to the variance to avoid dividing by zero' }),
    center: bool({ default: true, advanced: true, help: 'Learn a shift β per feature' }),
    scale: bool({ default: true, advanced: true, help: 'Learn a scale γ per feature' }),
  },
  arity: { min: 1, max: 1 },
  example: { params: { epsilon: 0.0001, center: false }, inputs: [[5, 6]] },
  summary: (p) => (p.center && p.scale ? 'last axis' : `last axis · ${p.scale ? 'γ only' : p.center ? 'β only' : 'no γ, β'}`),
  inferShape: (_p, [x]) => [...x],
  countParams: (p, { inputs: [x] }) => ({ trainable: (Number(p.center) + Number(p.scale)) * x[x.length - 1], nonTrainable: 0 }),
  paramFormula: (p, { inputs: [x] }) => {
    const c = x[x.length - 1];
    const k = Number(p.center) + Number(p.scale);
    const what = [p.scale ? 'γ' : '', p.center ? 'β' : ''].filter(Boolean).join(', ');
    return k === 0 ? '0 (no γ, β)' : `${k}·${c} = ${k * c} (${what})`;
  },
  macs: (_p, { output }) => size(output),
  toKeras: (p) => ({
    cls: 'layers.LayerNormalization',
    args: [...kw('epsilon', String(p.epsilon), p.epsilon === 0.001), ...kw('center', pyBool(p.center), p.center), ...kw('scale', pyBool(p.scale), p.scale)],
  }),
  pytorch: {
    module: (p, { inputs: [x] }) => `KerasLayerNorm(${x[x.length - 1]}, eps=${pyNumber(p.epsilon)}, center=${p.center ? 'True' : 'False'}, scale=${p.scale ? 'True' : 'False'})`,
    forward: (_p, { inputs: [x] }, [a], m) => toFirst(`${m}(${toLast(a, x)})`, x),
    weights: (_p, w) => [...entry('weight', weight(w, 'gamma')), ...entry('bias', weight(w, 'beta'))],
    helpers: () => ({ KerasLayerNorm: LAYER_NORM_PYTHON }),
  },
  tfjs: {
    // tfjs writes the axis resolved and counted with the batch axis: [rank] is the last.
    write: (p, { inputs: [x] }) => ({
      class_name: 'LayerNormalization',
      config: {
        axis: [x.length], epsilon: p.epsilon, center: p.center, scale: p.scale, beta_initializer: ZEROS,
        gamma_initializer: ONES, beta_regularizer: null, gamma_regularizer: null,
      },
    }),
    reads: ['LayerNormalization'],
    read: (c) => {
      const axis = Array.isArray(c.axis) ? c.axis : [c.axis ?? -1];
      // A config does not say its input's rank, so a single positive axis is taken to be the last
      // one, as tfjs and Keras 2 write the default -1 (Keras 3 keeps -1).
      if (axis.length !== 1 || typeof axis[0] !== 'number' || axis[0] === 0 || axis[0] < -1) {
        return { reason: `normalising over axis ${JSON.stringify(c.axis)} is not supported (only the last axis, -1)` };
      }
      if (c.rms_scaling === true) return { reason: 'rms_scaling is not supported' };
      return { params: without({ epsilon: c.epsilon, center: c.center, scale: c.scale }, { epsilon: 0.001, center: true, scale: true }) };
    },
  },
  onnx: {
    // Opset 13 has no LayerNormalization: (x − mean) / √(variance + ε) · γ + β over the last axis, written out.
    write: (p, { inputs: [x], inShapes: [s] }, w, ctx) => {
      const axis = s.length === 3 ? 1 : -1;
      const c = s[s.length - 1];
      const perChannel = (name: string) => ctx.weight(name, s.length === 3 ? [c, 1, 1] : [c], weightOf(w, name).values);
      const mean = ctx.node('ReduceMean', [x], { axes: { ints: [axis] }, keepdims: { i: 1 } });
      const d = ctx.node('Sub', [x, mean]);
      const variance = ctx.node('ReduceMean', [ctx.node('Mul', [d, d])], { axes: { ints: [axis] }, keepdims: { i: 1 } });
      let y = ctx.node('Div', [d, ctx.node('Sqrt', [ctx.node('Add', [variance, ctx.constant('epsilon', [], [p.epsilon], 'float')])])]);
      if (p.scale) y = ctx.node('Mul', [y, perChannel('gamma')]);
      if (p.center) y = ctx.node('Add', [y, perChannel('beta')]);
      return y;
    },
  },
});
