import type * as tfjs from '@tensorflow/tfjs';
import { kw, pyRegularizer } from '../emit/python';
import { without } from '../interop/keras-config';
import { defineLayer, size, type TF, type TfLayerClass } from '../layer-spec';
import { int, regularizerParams } from '../params';
import { entry, toFirst, toLast, weight } from '../interop/pytorch-form';
import { MAXOUT_OP, readDense, weightOf } from '../interop/onnx-form';

const MAXOUT_PYTHON = `@keras.saving.register_keras_serializable(package="layerboard")
class Maxout(layers.Layer):
    """Each unit is the max of \`pieces\` affine maps of the last axis: max(w1.x + b1, ..., wk.x + bk)."""

    def __init__(self, units, pieces=2, kernel_regularizer=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.pieces = pieces
        self.kernel_regularizer = keras.regularizers.get(kernel_regularizer)

    def build(self, input_shape):
        n = input_shape[-1]
        self.kernel = self.add_weight(name="kernel", shape=(n, self.units * self.pieces),
                                      initializer="glorot_uniform", regularizer=self.kernel_regularizer)
        self.bias = self.add_weight(name="bias", shape=(self.units * self.pieces,), initializer="zeros")

    def call(self, x):
        z = keras.ops.matmul(x, self.kernel) + self.bias
        z = keras.ops.reshape(z, (-1,) + tuple(x.shape[1:-1]) + (self.units, self.pieces))
        return keras.ops.max(z, axis=-1)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "pieces": self.pieces,
                "kernel_regularizer": keras.regularizers.serialize(self.kernel_regularizer)}
`;

const MAXOUT_TORCH = `class Maxout(nn.Module):
    """Each unit is the max of \`pieces\` affine maps of the last axis: max(w1.x + b1, ..., wk.x + bk).
    Unit u, piece k is output u * pieces + k of one Linear, as in Layerboard's tfjs Maxout."""

    def __init__(self, features, units, pieces=2):
        super().__init__()
        self.units, self.pieces = units, pieces
        self.linear = nn.Linear(features, units * pieces)

    def forward(self, x):
        z = self.linear(x)
        return z.reshape(z.shape[:-1] + (self.units, self.pieces)).amax(-1)`;

/** Maxout as a tfjs layer: tfjs has none. */
function maxoutClass(tf: TF): TfLayerClass {
  return class Maxout extends tf.layers.Layer {
    static className = 'Maxout';
    readonly units: number;
    readonly pieces: number;
    readonly l1: number;
    readonly l2: number;
    private kernel!: tfjs.LayerVariable;
    private bias!: tfjs.LayerVariable;

    constructor(config: { name?: string; units: number; pieces: number; l1?: number; l2?: number }) {
      super(config);
      this.units = config.units;
      this.pieces = config.pieces;
      this.l1 = config.l1 ?? 0;
      this.l2 = config.l2 ?? 0;
    }

    build(inputShape: tfjs.Shape | tfjs.Shape[]) {
      const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfjs.Shape;
      const n = shape[shape.length - 1] as number;
      const reg = this.l1 > 0 || this.l2 > 0 ? tf.regularizers.l1l2({ l1: this.l1, l2: this.l2 }) : undefined;
      this.kernel = this.addWeight('kernel', [n, this.units * this.pieces], 'float32',
        tf.initializers.glorotUniform({}), reg);
      this.bias = this.addWeight('bias', [this.units * this.pieces], 'float32', tf.initializers.zeros());
      this.built = true;
    }

    computeOutputShape(inputShape: tfjs.Shape | tfjs.Shape[]) {
      const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfjs.Shape;
      return [...shape.slice(0, -1), this.units];
    }

    call(inputs: tfjs.Tensor | tfjs.Tensor[]) {
      return tf.tidy(() => {
        const x = Array.isArray(inputs) ? inputs[0] : inputs;
        const n = x.shape[x.shape.length - 1] as number;
        const flat = x.reshape([-1, n]);
        const z = tf.add(tf.matMul(flat, this.kernel.read()), this.bias.read());
        const best = z.reshape([-1, this.units, this.pieces]).max(-1);
        return best.reshape([...x.shape.slice(0, -1).map((d) => d ?? -1), this.units]);
      });
    }

    getConfig() {
      return { ...super.getConfig(), units: this.units, pieces: this.pieces, l1: this.l1, l2: this.l2 };
    }
  };
}

/** max over `pieces` affine maps of the last axis. */
export const maxout = defineLayer({
  type: 'Maxout',
  category: 'activation',
  description: 'Each unit computes `pieces` weighted sums of its inputs and keeps the largest: max(w1ᵀx + b1, w2ᵀx + b2, …). A learned, piecewise-linear activation (Goodfellow et al., 2013).',
  params: {
    units: int({ min: 1, required: true, initial: 10, help: 'Number of output units' }),
    pieces: int({ min: 1, default: 2, help: 'Affine pieces per unit; the unit outputs their maximum' }),
    ...regularizerParams,
  },
  arity: { min: 1, max: 1 },
  example: { params: { units: 3, pieces: 3 }, inputs: [[6]] },
  summary: (p) => `${p.units} units × ${p.pieces} pieces`,
  inferShape: (p, [x]) => [...x.slice(0, -1), p.units],
  countParams: (p, { inputs: [x] }) => ({ trainable: (x[x.length - 1] + 1) * p.units * p.pieces, nonTrainable: 0 }),
  paramFormula: (p, { inputs: [x] }) => {
    const n = x[x.length - 1];
    return `(${n}·${p.units} + ${p.units})·${p.pieces} = ${(n + 1) * p.units * p.pieces}`;
  },
  macs: (p, { inputs: [x] }) => size(x) * p.units * p.pieces,
  toKeras: (p) => ({ cls: 'Maxout', args: [String(p.units), ...kw('pieces', String(p.pieces), p.pieces === 2), ...pyRegularizer(p)] }),
  pytorch: {
    module: (p, { inputs: [x] }) => `Maxout(${x[x.length - 1]}, ${p.units}, ${p.pieces})`,
    forward: (_p, { inputs: [x] }, [a], m) => toFirst(`${m}(${toLast(a, x)})`, x),
    weights: (_p, w) => [...entry('linear.weight', weight(w, 'kernel'), [1, 0]), ...entry('linear.bias', weight(w, 'bias'))],
    penalized: () => ['linear.weight'],
    helpers: () => ({ Maxout: MAXOUT_TORCH }),
  },
  kerasClasses: { Maxout: MAXOUT_PYTHON },
  tfjs: {
    write: (p) => ({ class_name: 'Maxout', config: { units: p.units, pieces: p.pieces, l1: p.l1, l2: p.l2 } }),
    reads: ['Maxout'],
    read: (c) => ({ params: without({ units: c.units, pieces: c.pieces, l1: c.l1, l2: c.l2 }, { pieces: 2, l1: 0, l2: 0 }) }),
  },
  onnx: {
    // Gemm to units·pieces, then the max over each unit's pieces (tfjs orders them unit-major).
    write: (p, { inputs: [x], inShapes: [s] }, w, ctx) => {
      if (s.length !== 1) return { reason: 'only Maxout on a flat vector is written to ONNX' };
      const z = ctx.node('Gemm', [x, ctx.weight('kernel', [s[0], p.units * p.pieces], weightOf(w, 'kernel').values),
        ctx.weight('bias', [p.units * p.pieces], weightOf(w, 'bias').values)]);
      const pieces = ctx.node('Reshape', [z, ctx.constant('shape', [3], [-1, p.units, p.pieces], 'int64')]);
      return ctx.node('ReduceMax', [pieces], { axes: { ints: [2] }, keepdims: { i: 0 } });
    },
    ops: [MAXOUT_OP],
    read: (node, ctx) => {
      const d = readDense(node, ctx);
      if (!d || !('layers' in d)) return d;
      const units = Number(node.attrs.units);
      const pieces = Number(node.attrs.pieces);
      if (d.layers[0].params.units !== units * pieces || d.layers[0].params.useBias === false) return { reason: `its Gemm makes ${d.layers[0].params.units} values, not ${units}·${pieces} with a bias` };
      return { layers: [{ type: 'Maxout', params: { units, ...(pieces !== 2 ? { pieces } : {}) }, weights: d.layers[0].weights }], tensorInputs: [0] };
    },
  },
  tfjsClasses: (tf) => [maxoutClass(tf)],
});
