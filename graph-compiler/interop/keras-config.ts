/**
 * Building blocks for the Keras/tfjs-layers layer configs of a `model.json` (the snake_case
 * `{class_name, config}` objects), shared by the layer modules: each module writes and reads its
 * own config with these. Configs are written as tfjs-layers 4.22 writes them (`model.toJSON()`),
 * initializers included, so that the model tfjs loads from them is the model we describe.
 */

export type Obj = Record<string, unknown>;

/** A layer config as model.json holds it. */
export interface LayerConfigJson {
  class_name: string;
  config: Obj;
}

/**
 * What a layer module reads from a config: its params (defaults left out, so the document says
 * only what was chosen) and notes on what was changed or dropped; or why it cannot be read.
 */
export type ReadLayer = { params: Obj; notes?: string[] } | { reason: string };

/** How a layer type reads and writes itself in a `model.json`. */
export interface TfjsForm<P> {
  /**
   * The config of a node, without `name` and `trainable` (the walk adds them). `p` has its
   * defaults filled in, and an activation tfjs cannot fuse already replaced by `linear`.
   */
  write(p: P, io: { inputs: number[][]; output: number[] }): LayerConfigJson;
  /** The class names (tfjs, Keras 2 and Keras 3 spellings) this type is read from. */
  reads: readonly string[];
  /** Params from a layer config of one of the `reads` classes. */
  read(config: Obj, className: string): ReadLayer;
}

export const GLOROT_NORMAL = { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'normal', seed: null } };
export const GLOROT_UNIFORM = { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: null } };
export const ZEROS = { class_name: 'Zeros', config: {} };
export const ONES = { class_name: 'Ones', config: {} };

/** The kernel regularizer of `l1`/`l2`, as tfjs serialises `tf.regularizers.l1/l2/l1l2`. */
export function regularizer(p: { l1?: number; l2?: number }): LayerConfigJson | null {
  const l1 = p.l1 ?? 0;
  const l2 = p.l2 ?? 0;
  return l1 > 0 || l2 > 0 ? { class_name: 'L1L2', config: { l1, l2 } } : null;
}

/** The bias part of a layer with weights, as tfjs writes it. */
export const biasPart = (useBias: unknown) => ({
  use_bias: useBias, bias_initializer: ZEROS, bias_regularizer: null, activity_regularizer: null, bias_constraint: null,
});

const KERAS_ACTIVATIONS: Record<string, string> = {
  linear: 'linear', relu: 'relu', relu6: 'relu6', sigmoid: 'sigmoid', tanh: 'tanh', softmax: 'softmax', elu: 'elu',
  selu: 'selu', softplus: 'softplus', softsign: 'softsign', swish: 'swish', silu: 'swish', gelu: 'gelu',
  leaky_relu: 'leakyRelu', leakyRelu: 'leakyRelu', leakyrelu: 'leakyRelu', step: 'step',
};

/** Our name of a Keras activation; Keras 3 writes some as `{class_name, config}` objects where Keras 2 wrote strings. */
export function activationName(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const name = typeof v === 'string' ? v : typeof v === 'object' && typeof (v as Obj).class_name === 'string' ? ((v as Obj).config as Obj | undefined)?.name ?? (v as Obj).class_name : undefined;
  if (typeof name !== 'string') return undefined;
  return Object.hasOwn(KERAS_ACTIVATIONS, name) ? KERAS_ACTIVATIONS[name] : name;
}

/** `[3, 3]` or `[3]` → `3`; `[3, 5]` stays; anything else is kept for the compiler to judge. */
export function pair(v: unknown): unknown {
  if (Array.isArray(v) && v.length === 2 && v[0] === v[1]) return v[0];
  if (Array.isArray(v) && v.length === 1) return v[0];
  return v;
}

/** The `l1`/`l2` factors of a serialised regularizer (absent when 0). */
export function regularizerFactors(v: unknown): { l1?: number; l2?: number } {
  if (!v || typeof v !== 'object') return {};
  const cfg = ((v as Obj).config ?? {}) as Obj;
  const l1 = typeof cfg.l1 === 'number' && cfg.l1 > 0 ? cfg.l1 : undefined;
  const l2 = typeof cfg.l2 === 'number' && cfg.l2 > 0 ? cfg.l2 : undefined;
  return { ...(l1 !== undefined ? { l1 } : {}), ...(l2 !== undefined ? { l2 } : {}) };
}

/** Drops params that are undefined or equal Layerboard's default. */
export function without(p: Obj, defaults: Obj): Obj {
  return Object.fromEntries(Object.entries(p).filter(([k, v]) => v !== undefined && JSON.stringify(v) !== JSON.stringify(defaults[k])));
}

/** The params every convolution reads alike, with notes on what Layerboard reads differently. */
export function convParams(c: Obj, notes: string[]): Obj {
  if (c.data_format === 'channels_first') notes.push('data_format "channels_first" is read as channels_last (Layerboard images are [height, width, channels])');
  if (typeof c.groups === 'number' && c.groups !== 1) notes.push(`groups ${c.groups} is not supported; imported as an ordinary convolution`);
  return without({
    filters: c.filters,
    kernelSize: pair(c.kernel_size),
    strides: pair(c.strides),
    padding: c.padding,
    dilationRate: pair(c.dilation_rate),
    depthMultiplier: c.depth_multiplier,
    activation: activationName(c.activation),
    useBias: c.use_bias,
    ...regularizerFactors(c.kernel_regularizer ?? c.depthwise_regularizer),
  }, { strides: 1, padding: 'valid', dilationRate: 1, depthMultiplier: 1, activation: 'linear', useBias: true });
}
