/**
 * The Activation layer, and how any of our activation names is written as a layer of its own:
 * `step` (Heaviside) is a layer tfjs and Keras do not have, so its tfjs class and its Python
 * class live here; `leakyRelu` is a layer of its own in both (LeakyReLU). A Dense or convolution
 * with such an activation is written as linear followed by the layer `activationLayerConfig`
 * and `kerasActivationCall` describe.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { pyStr, type KerasCall } from '../emit/python';
import { activationName, type LayerConfigJson, type Obj, type ReadLayer, without } from '../interop/keras-config';
import { defineLayer, type TF, type TfLayerClass } from '../layer-spec';
import { activationParams } from '../params';
import { activationHelpers, torchActivation } from '../interop/pytorch-form';
import { readOnnxActivation, STEP_OP, SWISH_OP } from '../interop/onnx-form';

/** Activations tfjs-layers accepts by name (its ActivationIdentifier), as our names map to them. */
export const TFJS_ACTIVATIONS: ReadonlySet<string> = new Set([
  'linear', 'relu', 'relu6', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'softplus', 'softsign', 'swish', 'gelu',
]);

/** Whether a layer that fuses `activation` must be written linear, with the activation as a layer after it. */
export function needsActivationLayer(activation: string | undefined): activation is string {
  return activation !== undefined && !TFJS_ACTIVATIONS.has(activation);
}

/** A standalone activation layer's model.json config (without name), for any of our activation names. */
export function activationLayerConfig(activation: string, alpha = 0.01): LayerConfigJson {
  if (activation === 'step') return { class_name: 'Step', config: {} };
  if (activation === 'leakyRelu') return { class_name: 'LeakyReLU', config: { alpha } };
  return { class_name: 'Activation', config: { activation } };
}

/** Keras has no `step` and spells LeakyReLU's slope `negative_slope`: both become layers. */
export function kerasActivationCall(activation: string, alpha = 0.01): KerasCall {
  if (activation === 'step') return { cls: 'Step', args: [] };
  if (activation === 'leakyRelu') return { cls: 'layers.LeakyReLU', args: [`negative_slope=${alpha}`] };
  return { cls: 'layers.Activation', args: [pyStr(activation)] };
}

const STEP_PYTHON = `@tf.custom_gradient
def _step(x):
    """Heaviside step with the zero gradient tfjs gives it."""
    def grad(dy):
        return tf.zeros_like(dy)
    return tf.cast(x > 0, x.dtype), grad


@keras.saving.register_keras_serializable(package="layerboard")
class Step(layers.Layer):
    """1 where x > 0, else 0. Its gradient is zero, so layers before it do not learn."""

    def call(self, x):
        return _step(x)
`;

/** The Heaviside step as a tfjs layer (tfjs has `tf.step` but no layer for it). */
function stepClass(tf: TF): TfLayerClass {
  return class Step extends tf.layers.Layer {
    static className = 'Step';
    computeOutputShape(inputShape: tfjs.Shape | tfjs.Shape[]) {
      return inputShape;
    }
    call(inputs: tfjs.Tensor | tfjs.Tensor[]) {
      return tf.tidy(() => tf.step(Array.isArray(inputs) ? inputs[0] : inputs, 0));
    }
  };
}

function readActivation(c: Obj, cls: string): ReadLayer {
  switch (cls) {
    case 'Step':
      return { params: { activation: 'step' } };
    case 'LeakyReLU':
      return { params: without({ activation: 'leakyRelu', alpha: c.alpha ?? c.negative_slope ?? 0.3 }, { alpha: 0.01 }) };
    case 'ReLU':
      if (typeof c.threshold === 'number' && c.threshold !== 0) return { reason: `a threshold of ${c.threshold} is not supported` };
      if (typeof c.negative_slope === 'number' && c.negative_slope !== 0) return { params: { activation: 'leakyRelu', alpha: c.negative_slope } };
      if (c.max_value === 6) return { params: { activation: 'relu6' } };
      if (typeof c.max_value === 'number') return { reason: `max_value ${c.max_value} is not supported (only 6, as relu6)` };
      return { params: { activation: 'relu' } };
    case 'ELU':
      if (typeof c.alpha === 'number' && c.alpha !== 1) return { reason: `alpha ${c.alpha} is not supported (only 1, as elu)` };
      return { params: { activation: 'elu' } };
    case 'Softmax': {
      const axis = Array.isArray(c.axis) ? c.axis : [c.axis ?? -1];
      if (!(axis.length === 1 && axis[0] === -1)) return { reason: `softmax over axis ${JSON.stringify(c.axis)} is not supported (only the last, -1)` };
      return { params: { activation: 'softmax' } };
    }
    default:
      return { params: { activation: activationName(c.activation) ?? 'linear' } };
  }
}

/** Applies a function to every value. */
export const activation = defineLayer({
  type: 'Activation',
  category: 'activation',
  description: 'Applies a non-linear function to every value: relu, sigmoid, tanh, softmax (probabilities over the last axis), step (the perceptron’s threshold), leakyRelu, ... No weights.',
  keywords: 'relu sigmoid tanh softmax step nonlinearity',
  params: {
    ...activationParams({ required: true, initial: 'relu', help: 'The function applied to each value' }),
  },
  arity: { min: 1, max: 1 },
  example: { params: { activation: 'leakyRelu', alpha: 0.2 }, inputs: [[7]] },
  summary: (p) => (p.activation === 'leakyRelu' ? `leakyRelu α=${p.alpha}` : p.activation),
  inferShape: (_p, [x]) => [...x],
  activationOf: (p) => p.activation,
  tfjs: {
    write: (p) => activationLayerConfig(p.activation, p.alpha),
    reads: ['Activation', 'Step', 'LeakyReLU', 'ReLU', 'ELU', 'Softmax'],
    read: readActivation,
  },
  onnx: {
    write: (p, { inputs: [x], outShape }, _w, ctx) => ctx.activation(p.activation, x, outShape.length, p.alpha),
    ops: ['Relu', 'Clip', 'Sigmoid', 'Tanh', 'LeakyRelu', 'Elu', 'Selu', 'Softmax', 'Softplus', 'Softsign', 'HardSigmoid', 'HardSwish', SWISH_OP, STEP_OP],
    read: (node, ctx) => {
      const a = readOnnxActivation(node, ctx);
      if ('reason' in a) return a;
      return { layers: [{ type: 'Activation', params: without({ activation: a.activation, alpha: a.alpha }, { alpha: 0.01 }) }], tensorInputs: [0] };
    },
  },
  tfjsClasses: (tf) => [stepClass(tf)],
  toKeras: (p) => kerasActivationCall(p.activation, p.alpha),
  pytorch: {
    forward: (p, { output }, [a]) => torchActivation(p.activation, a, output, p.alpha),
    helpers: (p) => activationHelpers(p.activation),
  },
  kerasClasses: { Step: STEP_PYTHON },
});
