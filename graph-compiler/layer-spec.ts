/**
 * The one declaration each layer type makes. Palette, inspector, node face, validation, shape
 * inference, counts and emission all read it; adding a layer type is adding one module under
 * `layers/` and listing it in `layers/index.ts`.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { DiagnosticCode } from './diagnostics';
import type { KerasCall } from './emit/python';
import type { TfjsForm } from './interop/keras-config';
import type { OnnxForm } from './interop/onnx-form';
import type { PytorchForm } from './interop/pytorch-form';
import type { ParamDecls, ParamsOf } from './params';
import { fmtShape } from './format';
import type { ParamCount, Shape } from './types';

export { fmtShape, size, thousands } from './format';

/** The tfjs namespace, passed in so that the compiler never loads tfjs itself. */
export type TF = typeof tfjs;
export type TfLayer = tfjs.layers.Layer;

export type Category =
  | 'core' | 'convolution' | 'pooling' | 'recurrent' | 'normalization' | 'regularization' | 'reshaping' | 'merge'
  | 'activation';

/** Palette order, titles and colours (calm, distinct hues shared by palette, nodes and summary) of the categories. */
export const CATEGORIES: { id: Category; title: string; color: string }[] = [
  { id: 'core', title: 'Core', color: '#4c6ea8' },
  { id: 'convolution', title: 'Convolution', color: '#2e8c7e' },
  { id: 'pooling', title: 'Pooling', color: '#5a9450' },
  { id: 'recurrent', title: 'Recurrent', color: '#3d8fb5' },
  { id: 'normalization', title: 'Normalization', color: '#b08327' },
  { id: 'regularization', title: 'Regularization', color: '#b5536b' },
  { id: 'reshaping', title: 'Reshaping', color: '#737d8c' },
  { id: 'merge', title: 'Merge', color: '#8a5baa' },
  { id: 'activation', title: 'Activation', color: '#c2683a' },
];

/** What a shape rule may report about its node. Messages get the `Type "name": ` prefix added. */
export interface ShapeContext {
  /** Display name of the node feeding input `i` (edge order), for merge messages. */
  inputName(i: number): string;
  error(code: DiagnosticCode, message: string, param?: string): void;
  warn(code: DiagnosticCode, message: string, param?: string): void;
}

/** Everything the count/formula functions get: validated params, input shapes and the output. */
export interface LayerIO {
  inputs: Shape[];
  output: Shape;
}

export interface LayerSpec<D extends ParamDecls = ParamDecls> {
  /** The Keras class name, as in documents. */
  type: string;
  category: Category;
  /** One or two sentences for the palette tooltip, written for a student. */
  description: string;
  params: D;
  /**
   * A small valid use of the layer: its params and the shapes of its inputs. The registry test
   * builds, links, exports, loads and imports every layer type from it, so a new module is
   * checked end to end without a line of test code of its own.
   */
  example: { params: Record<string, unknown>; inputs: Shape[] };
  /** How many incoming tensors the layer takes. */
  arity: { min: number; max: number };
  /** Key settings in one line for the node's face, e.g. `32 × 3×3 /1 same · relu`. */
  summary(p: ParamsOf<D>): string;
  /** Output shape from input shapes; reports problems through `ctx` and returns null on error. */
  inferShape(p: ParamsOf<D>, inputs: Shape[], ctx: ShapeContext): Shape | null;
  /** The output-size arithmetic with the actual numbers (conv and pooling). */
  shapeFormula?(p: ParamsOf<D>, io: LayerIO): string[];
  /** Weights of the layer; absent means none. */
  countParams?(p: ParamsOf<D>, io: LayerIO): ParamCount;
  /** The parameter arithmetic with the actual numbers, e.g. `5·5·1·6 + 6 = 156`. */
  paramFormula?(p: ParamsOf<D>, io: LayerIO): string;
  /** Multiply-accumulate operations for one example; absent means 0. */
  macs?(p: ParamsOf<D>, io: LayerIO): number;
  /** The activation the layer applies, for the softmax and step checks and for emission. */
  activationOf?(p: ParamsOf<D>): string | undefined;
  /**
   * True when `activation` is fused into a layer with weights (Dense, Conv2D, ...). tfjs knows
   * neither `step` nor `leakyRelu` as a fused activation, so the emitters then write the layer
   * as linear and append a separate activation layer (and the importer joins them again).
   */
  fusedActivation?: boolean;
  /**
   * Passes values through unchanged (Dropout, Flatten, Reshape), so the activation before it is
   * still the one the model's output applies (for the automatic loss and its checks).
   */
  keepsActivation?: boolean;
  /** More words the palette search finds it by (what people type who do not know the Keras name). */
  keywords?: string;
  /**
   * Its `model.json` form, both ways. The live tfjs model is loaded by tfjs from the same
   * topology (`toTfjsModel`), so this is the one place a layer's tfjs form is written.
   */
  tfjs: TfjsForm<ParamsOf<D>>;
  /** Its ONNX form, both ways (see `interop/onnx-form.ts`); absent means the ONNX export refuses it. */
  onnx?: OnnxForm<ParamsOf<D>>;
  /**
   * Layer classes tfjs does not have (Maxout, Step), defined against the tfjs namespace passed
   * in; they are registered with tfjs serialization before a model is built or loaded.
   */
  tfjsClasses?(tf: TF): TfLayerClass[];
  /**
   * Weights the layer holds fixed (a Conv2D kernel preset), in tfjs's order and layout, or null
   * when they are learned. `toTfjsModel` sets them after tfjs builds the model, so training, the
   * model.json and the PyTorch and ONNX exports (which read the built model) all carry them.
   */
  fixedWeights?(p: ParamsOf<D>, io: LayerIO): { shape: number[]; values: Float32Array }[] | null;
  /** The Keras (Python) constructor call, activation handled as for `tfjs.write`. */
  toKeras(p: ParamsOf<D>): KerasCall;
  /** Python source of the classes its Keras calls name that Keras does not have, by class name. */
  kerasClasses?: Record<string, string>;
  /** Its `torch.nn` form: module, forward expression and weights in PyTorch layouts (`emit/pytorch.ts`). */
  pytorch?: PytorchForm<ParamsOf<D>>;
}

/** A tfjs layer class with the static `className` serialization needs. */
export type TfLayerClass = (new (config: never) => TfLayer) & { className: string };

/** Declares a layer with its params type inferred from the declaration. */
export function defineLayer<const D extends ParamDecls>(spec: LayerSpec<D>): LayerSpec<D> {
  return spec;
}

/** A LayerSpec with its param types erased, as the registry holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyLayerSpec = LayerSpec<any>;

/** Says that an input has the wrong rank, in a student's words; returns null for the caller. */
export function needsImage(type: string, input: Shape, ctx: ShapeContext): null {
  const hint = input.length === 1
    ? ' (a flat vector): add a Reshape to [height, width, channels] before it, or use Dense'
    : '';
  ctx.error('input-rank', `${type} needs an image shaped [height, width, channels], but its input is ${fmtShape(input)}${hint}.`);
  return null;
}

/** ` · relu` for a non-linear activation, '' for linear: the tail of a node's summary line. */
export function activationSuffix(a: string | undefined): string {
  return a && a !== 'linear' ? ` · ${a}` : '';
}
