import { kerasActivationLayer } from '../emit/keras-activations';
import { activationLayer } from '../emit/custom-layers';
import { defineLayer } from '../layer-spec';
import { activation as activationParam, float } from '../params';

/** Applies a function to every value. */
export const activation = defineLayer({
  type: 'Activation',
  category: 'activation',
  description: 'Applies a non-linear function to every value: relu, sigmoid, tanh, softmax (probabilities over the last axis), step (the perceptron’s threshold), leakyRelu, ... No weights.',
  params: {
    activation: activationParam({ required: true, help: 'The function applied to each value' }),
    alpha: float({ min: 0, default: 0.01, step: 0.01, help: 'Slope for x < 0 (leakyRelu only)' }),
  },
  arity: { min: 1, max: 1 },
  summary: (p) => (p.activation === 'leakyRelu' ? `leakyRelu α=${p.alpha}` : p.activation),
  inferShape: (_p, [x]) => [...x],
  activationOf: (p) => p.activation,
  toKeras: (p) => kerasActivationLayer(p.activation, p.alpha),
  toTfjs: (tf, p, name) => activationLayer(tf, name, p.activation, p.alpha),
});
