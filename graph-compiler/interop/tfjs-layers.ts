/**
 * How each Layerboard layer type reads and writes as a Keras/tfjs-layers layer config (the
 * snake_case `{class_name, config}` objects of a `model.json`), in one table so that export and
 * import stay each other's inverse. Configs are written as tfjs-layers 4.22 writes them
 * (`model.toJSON()`), initializers included, so that a loaded model is the model `toTfjsModel`
 * builds.
 */
import { tfjsAxis } from '../layers/concatenate';
import type { Padding2D } from '../params';

type Obj = Record<string, unknown>;

/** A layer config as model.json holds it. */
export interface LayerConfigJson {
  class_name: string;
  config: Obj;
}

const GLOROT_NORMAL = { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'normal', seed: null } };
const GLOROT_UNIFORM = { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: null } };
const ZEROS = { class_name: 'Zeros', config: {} };
const ONES = { class_name: 'Ones', config: {} };

/** The kernel regularizer of `l1`/`l2`, as tfjs serialises `tf.regularizers.l1/l2/l1l2`. */
function regularizer(p: Obj): LayerConfigJson | null {
  const l1 = (p.l1 as number | undefined) ?? 0;
  const l2 = (p.l2 as number | undefined) ?? 0;
  return l1 > 0 || l2 > 0 ? { class_name: 'L1L2', config: { l1, l2 } } : null;
}

const common = (name: string) => ({ name, trainable: true });

const biasPart = (useBias: unknown) => ({
  use_bias: useBias, bias_initializer: ZEROS, bias_regularizer: null, activity_regularizer: null, bias_constraint: null,
});

/**
 * The config of one node under `name`, from its validated params (defaults filled in). The
 * activation passed is already one tfjs knows (`linear` when the emitter splits it off).
 */
export function layerConfig(type: string, p: Obj, name: string, activation?: string, out?: readonly number[]): LayerConfigJson {
  const act = activation ?? (p.activation as string | undefined);
  switch (type) {
    case 'Dense':
      return {
        class_name: 'Dense',
        config: {
          units: p.units, activation: act, use_bias: p.useBias, kernel_initializer: GLOROT_NORMAL, bias_initializer: ZEROS,
          kernel_regularizer: regularizer(p), bias_regularizer: null, activity_regularizer: null, kernel_constraint: null,
          bias_constraint: null, ...common(name),
        },
      };
    case 'Conv2D':
      return {
        class_name: 'Conv2D',
        config: {
          filters: p.filters, kernel_initializer: GLOROT_NORMAL, kernel_regularizer: regularizer(p), kernel_constraint: null,
          kernel_size: p.kernelSize, strides: p.strides, padding: p.padding, data_format: 'channels_last',
          dilation_rate: p.dilationRate, activation: act, ...biasPart(p.useBias), ...common(name),
        },
      };
    case 'DepthwiseConv2D':
      return {
        class_name: 'DepthwiseConv2D',
        config: {
          kernel_size: p.kernelSize, strides: p.strides, padding: p.padding, data_format: 'channels_last', dilation_rate: [1, 1],
          activation: act, ...biasPart(p.useBias), ...common(name), depth_multiplier: p.depthMultiplier,
          depthwise_initializer: GLOROT_NORMAL, depthwise_regularizer: regularizer(p), depthwise_constraint: null,
        },
      };
    case 'SeparableConv2D':
      return {
        class_name: 'SeparableConv2D',
        config: {
          filters: p.filters, kernel_size: p.kernelSize, strides: p.strides, padding: p.padding, data_format: 'channels_last',
          dilation_rate: [1, 1], activation: act, ...biasPart(p.useBias), ...common(name), depth_multiplier: p.depthMultiplier,
          depthwise_initializer: GLOROT_UNIFORM, pointwise_initializer: GLOROT_UNIFORM, depthwise_regularizer: regularizer(p),
          pointwise_regularizer: regularizer(p), depthwise_constraint: null, pointwise_constraint: null,
        },
      };
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      return {
        class_name: type,
        config: { pool_size: p.poolSize, padding: p.padding, strides: p.strides ?? p.poolSize, data_format: 'channels_last', ...common(name) },
      };
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      return { class_name: type, config: { data_format: 'channels_last', ...common(name) } };
    case 'BatchNormalization':
      return {
        class_name: 'BatchNormalization',
        config: {
          axis: -1, momentum: p.momentum, epsilon: p.epsilon, center: true, scale: true, beta_initializer: ZEROS,
          gamma_initializer: ONES, moving_mean_initializer: ZEROS, moving_variance_initializer: ONES, beta_regularizer: null,
          gamma_regularizer: null, beta_constraint: null, gamma_constraint: null, ...common(name),
        },
      };
    case 'Dropout':
      return { class_name: 'Dropout', config: { rate: p.rate, noise_shape: null, seed: null, ...common(name) } };
    case 'Flatten':
      return { class_name: 'Flatten', config: common(name) };
    case 'Reshape':
      // The resolved shape: tfjs mishandles -1 at run time.
      return { class_name: 'Reshape', config: { target_shape: out ? [...out] : p.targetShape, ...common(name) } };
    case 'ZeroPadding2D':
      return { class_name: 'ZeroPadding2D', config: { padding: p.padding as Padding2D, data_format: 'channels_last', ...common(name) } };
    case 'Add':
      return { class_name: 'Add', config: common(name) };
    case 'Concatenate':
      return { class_name: 'Concatenate', config: { axis: out ? tfjsAxis(p.axis as number, out.length) : p.axis, ...common(name) } };
    case 'Activation':
      return activationConfig(act!, name, p.alpha as number | undefined);
    case 'Maxout':
      return { class_name: 'Maxout', config: { ...common(name), units: p.units, pieces: p.pieces, l1: p.l1, l2: p.l2 } };
    default:
      throw new Error(`no tfjs layer config for type ${type}`);
  }
}

/** A standalone activation layer: Step and LeakyReLU are layers of their own in tfjs. */
export function activationConfig(activation: string, name: string, alpha = 0.01): LayerConfigJson {
  if (activation === 'step') return { class_name: 'Step', config: common(name) };
  if (activation === 'leakyRelu') return { class_name: 'LeakyReLU', config: { alpha, ...common(name) } };
  return { class_name: 'Activation', config: { activation, ...common(name) } };
}

// ---------------------------------------------------------------------------------------
// Import: a Keras 2, Keras 3 or tfjs layer config → our type and params.

/** What a layer config becomes: a node, or a reason it cannot be one. */
export type ImportedLayer =
  | { ok: true; type: string; params: Obj; notes: string[] }
  | { ok: false; reason: string };

const KERAS_ACTIVATIONS: Record<string, string> = {
  linear: 'linear', relu: 'relu', relu6: 'relu6', sigmoid: 'sigmoid', tanh: 'tanh', softmax: 'softmax', elu: 'elu',
  selu: 'selu', softplus: 'softplus', softsign: 'softsign', swish: 'swish', silu: 'swish', gelu: 'gelu',
  leaky_relu: 'leakyRelu', leakyRelu: 'leakyRelu', leakyrelu: 'leakyRelu', step: 'step',
};

/** Keras 3 writes some values as `{class_name, config}` objects where Keras 2 wrote strings. */
function activationName(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const name = typeof v === 'string' ? v : typeof v === 'object' && typeof (v as Obj).class_name === 'string' ? ((v as Obj).config as Obj | undefined)?.name ?? (v as Obj).class_name : undefined;
  if (typeof name !== 'string') return undefined;
  return Object.hasOwn(KERAS_ACTIVATIONS, name) ? KERAS_ACTIVATIONS[name] : name;
}

/** `[3, 3]` or `3` → `3`; `[3, 5]` stays; anything else is kept for the compiler to judge. */
function pair(v: unknown): unknown {
  if (Array.isArray(v) && v.length === 2 && v[0] === v[1]) return v[0];
  if (Array.isArray(v) && v.length === 1) return v[0];
  return v;
}

function regularizerFactors(v: unknown): { l1?: number; l2?: number } {
  if (!v || typeof v !== 'object') return {};
  const r = v as Obj;
  const cfg = (r.config ?? {}) as Obj;
  const l1 = typeof cfg.l1 === 'number' && cfg.l1 > 0 ? cfg.l1 : undefined;
  const l2 = typeof cfg.l2 === 'number' && cfg.l2 > 0 ? cfg.l2 : undefined;
  return { ...(l1 !== undefined ? { l1 } : {}), ...(l2 !== undefined ? { l2 } : {}) };
}

/** Drops params that equal Layerboard's default, so the document says only what was chosen. */
function without(p: Obj, defaults: Obj): Obj {
  return Object.fromEntries(Object.entries(p).filter(([k, v]) => v !== undefined && JSON.stringify(v) !== JSON.stringify(defaults[k])));
}

function convParams(c: Obj, notes: string[]): Obj {
  if (c.data_format === 'channels_first') notes.push('data_format "channels_first" is read as channels_last (Layerboard images are [height, width, channels])');
  if (typeof c.groups === 'number' && c.groups !== 1) notes.push(`groups ${c.groups} is not supported; imported as an ordinary convolution`);
  const activation = activationName(c.activation);
  return without({
    filters: c.filters,
    kernelSize: pair(c.kernel_size),
    strides: pair(c.strides),
    padding: c.padding,
    dilationRate: pair(c.dilation_rate),
    depthMultiplier: c.depth_multiplier,
    activation,
    useBias: c.use_bias,
    ...regularizerFactors(c.kernel_regularizer ?? c.depthwise_regularizer),
  }, { strides: 1, padding: 'valid', dilationRate: 1, depthMultiplier: 1, activation: 'linear', useBias: true });
}

const CLASS_ALIASES: Record<string, string> = {
  Convolution2D: 'Conv2D', SeparableConvolution2D: 'SeparableConv2D', MaxPool2D: 'MaxPooling2D', AvgPool2D: 'AveragePooling2D',
  GlobalAvgPool2D: 'GlobalAveragePooling2D', GlobalMaxPool2D: 'GlobalMaxPooling2D',
};

/** Reads one Keras/tfjs layer config (not InputLayer: the importer reads input shapes itself). */
export function importLayer(className: string, config: Obj): ImportedLayer {
  const cls = Object.hasOwn(CLASS_ALIASES, className) ? CLASS_ALIASES[className] : className;
  const notes: string[] = [];
  const c = config;
  switch (cls) {
    case 'Dense':
      return {
        ok: true, type: 'Dense', notes,
        params: without({ units: c.units, activation: activationName(c.activation), useBias: c.use_bias, ...regularizerFactors(c.kernel_regularizer) }, { activation: 'linear', useBias: true }),
      };
    case 'Conv2D': {
      const p = convParams(c, notes);
      delete p.depthMultiplier;
      return { ok: true, type: 'Conv2D', params: p, notes };
    }
    case 'DepthwiseConv2D': {
      const p = convParams(c, notes);
      delete p.filters;
      if (p.dilationRate !== undefined) {
        notes.push('dilation_rate is left out (tfjs ignores it for DepthwiseConv2D)');
        delete p.dilationRate;
      }
      return { ok: true, type: 'DepthwiseConv2D', params: p, notes };
    }
    case 'SeparableConv2D': {
      const p = convParams(c, notes);
      if (p.dilationRate !== undefined) {
        notes.push('dilation_rate is not supported for SeparableConv2D and is left out');
        delete p.dilationRate;
      }
      return { ok: true, type: 'SeparableConv2D', params: p, notes };
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const poolSize = pair(c.pool_size ?? 2);
      const strides = c.strides === null || c.strides === undefined ? undefined : pair(c.strides);
      return {
        ok: true, type: cls, notes,
        params: without({ poolSize, strides: JSON.stringify(strides) === JSON.stringify(poolSize) ? undefined : strides, padding: c.padding }, { poolSize: 2, padding: 'valid' }),
      };
    }
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      if (c.keepdims === true) return { ok: false, reason: 'keepdims=true is not supported (the output would keep its 1×1 spatial axes)' };
      return { ok: true, type: cls, params: {}, notes };
    case 'BatchNormalization': {
      const axis = Array.isArray(c.axis) ? c.axis : [c.axis ?? -1];
      if (!(axis.length === 1 && (axis[0] === -1 || axis[0] === 3))) return { ok: false, reason: `normalising over axis ${JSON.stringify(c.axis)} is not supported (only the channels axis, -1)` };
      if (c.center === false || c.scale === false) notes.push('center/scale false is not supported; imported with both (2 more weights per channel)');
      return { ok: true, type: 'BatchNormalization', params: without({ momentum: c.momentum, epsilon: c.epsilon }, { momentum: 0.99, epsilon: 0.001 }), notes };
    }
    case 'Dropout':
      return { ok: true, type: 'Dropout', params: { rate: c.rate }, notes };
    case 'Flatten':
      return { ok: true, type: 'Flatten', params: {}, notes };
    case 'Reshape':
      return { ok: true, type: 'Reshape', params: { targetShape: Array.isArray(c.target_shape) ? c.target_shape.map((d) => (d === null ? -1 : d)) : c.target_shape }, notes };
    case 'ZeroPadding2D': {
      let padding: unknown = c.padding ?? 1;
      if (Array.isArray(padding) && padding.every(Array.isArray)) {
        const [[t, b], [l, r]] = padding as number[][];
        padding = t === b && l === r ? (t === l ? t : [t, l]) : padding;
      } else padding = pair(padding);
      return { ok: true, type: 'ZeroPadding2D', params: without({ padding }, { padding: 1 }), notes };
    }
    case 'Add':
      return { ok: true, type: 'Add', params: {}, notes };
    case 'Concatenate':
      return { ok: true, type: 'Concatenate', params: without({ axis: c.axis }, { axis: -1 }), notes };
    case 'Activation':
      return { ok: true, type: 'Activation', params: { activation: activationName(c.activation) ?? 'linear' }, notes };
    case 'Step':
      return { ok: true, type: 'Activation', params: { activation: 'step' }, notes };
    case 'LeakyReLU': {
      const alpha = c.alpha ?? c.negative_slope ?? 0.3;
      return { ok: true, type: 'Activation', params: without({ activation: 'leakyRelu', alpha }, { alpha: 0.01 }), notes };
    }
    case 'ReLU': {
      if (typeof c.threshold === 'number' && c.threshold !== 0) return { ok: false, reason: `a threshold of ${c.threshold} is not supported` };
      if (typeof c.negative_slope === 'number' && c.negative_slope !== 0) {
        return { ok: true, type: 'Activation', params: { activation: 'leakyRelu', alpha: c.negative_slope }, notes };
      }
      if (c.max_value === 6) return { ok: true, type: 'Activation', params: { activation: 'relu6' }, notes };
      if (typeof c.max_value === 'number') return { ok: false, reason: `max_value ${c.max_value} is not supported (only 6, as relu6)` };
      return { ok: true, type: 'Activation', params: { activation: 'relu' }, notes };
    }
    case 'ELU':
      if (typeof c.alpha === 'number' && c.alpha !== 1) return { ok: false, reason: `alpha ${c.alpha} is not supported (only 1, as elu)` };
      return { ok: true, type: 'Activation', params: { activation: 'elu' }, notes };
    case 'Softmax': {
      const axis = Array.isArray(c.axis) ? c.axis : [c.axis ?? -1];
      if (!(axis.length === 1 && axis[0] === -1)) return { ok: false, reason: `softmax over axis ${JSON.stringify(c.axis)} is not supported (only the last, -1)` };
      return { ok: true, type: 'Activation', params: { activation: 'softmax' }, notes };
    }
    case 'Maxout':
      return { ok: true, type: 'Maxout', params: without({ units: c.units, pieces: c.pieces, l1: c.l1, l2: c.l2 }, { pieces: 2, l1: 0, l2: 0 }), notes };
    default:
      return { ok: false, reason: 'Layerboard has no such layer' };
  }
}
