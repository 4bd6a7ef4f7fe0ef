import { pyStr, type KerasCall } from './python';

/** Keras has no `step` and spells LeakyReLU's slope `negative_slope`: both become layers. */
export function kerasActivationLayer(activation: string, alpha = 0.01): KerasCall {
  if (activation === 'step') return { cls: 'Step', args: [] };
  if (activation === 'leakyRelu') return { cls: 'layers.LeakyReLU', args: [`negative_slope=${alpha}`] };
  return { cls: 'layers.Activation', args: [pyStr(activation)] };
}
