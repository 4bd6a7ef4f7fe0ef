/**
 * tfjs layers that tfjs does not have: Maxout and the Heaviside `step` activation. They are
 * defined against the tfjs namespace passed in (the compiler never imports tfjs itself) and
 * registered with tfjs serialization, so that a saved model loads again with
 * `tf.loadLayersModel` once `registerCustomLayers(tf)` has run.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { TF, TfLayer } from '../layer-spec';

/** Activations tfjs-layers accepts by name (its ActivationIdentifier), as our names map to them. */
export const TFJS_ACTIVATIONS = new Set([
  'linear', 'relu', 'relu6', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'softplus', 'softsign', 'swish', 'gelu',
]);

export interface CustomLayers {
  Maxout: new (config: { name?: string; units: number; pieces: number; l1?: number; l2?: number }) => TfLayer;
  Step: new (config: { name?: string }) => TfLayer;
}

const registered = new WeakMap<object, CustomLayers>();

/** Defines (once per tfjs instance) and registers Layerboard's custom layers. */
export function registerCustomLayers(tf: TF): CustomLayers {
  const known = registered.get(tf);
  if (known) return known;

  class Step extends tf.layers.Layer {
    static className = 'Step';
    computeOutputShape(inputShape: tfjs.Shape | tfjs.Shape[]) {
      return inputShape;
    }
    call(inputs: tfjs.Tensor | tfjs.Tensor[]) {
      return tf.tidy(() => tf.step(Array.isArray(inputs) ? inputs[0] : inputs, 0));
    }
  }

  class Maxout extends tf.layers.Layer {
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
  }

  tf.serialization.registerClass(Step);
  tf.serialization.registerClass(Maxout);
  const layers: CustomLayers = { Maxout, Step };
  registered.set(tf, layers);
  return layers;
}

/** A standalone activation layer for any of our activation names. */
export function activationLayer(tf: TF, name: string, activation: string, alpha = 0.01): TfLayer {
  if (activation === 'step') return new (registerCustomLayers(tf).Step)({ name });
  if (activation === 'leakyRelu') return tf.layers.leakyReLU({ name, alpha });
  return tf.layers.activation({ name, activation: activation as never });
}
