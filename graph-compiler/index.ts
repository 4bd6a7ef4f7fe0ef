/**
 * Layerboard's graph compiler: pure TypeScript, no React, no DOM. It reads graph documents,
 * checks them, infers every shape, counts parameters and MACs, and emits tfjs models.
 */
export { compile, compileUnknown, type CompileOutcome } from './compile';
export { DIAGNOSTIC_CODES, type DiagnosticCode } from './diagnostics';
export { toTfjsModel, tfjsName } from './emit/tfjs';
export { registerCustomLayers } from './emit/custom-layers';
export { fmtShape, formatBytes, formatCount, size, thousands, visibleText } from './format';
export { CATEGORIES, type AnyLayerSpec, type Category, type LayerSpec, type TF } from './layer-spec';
export { LAYERS, layerByType } from './layers';
export { ACTIVATIONS, type ParamSpec, type ParamDecls } from './params';
export { FORMAT, VERSION, parseDocument } from './passes/parse';
export * from './types';
export * from './training';
export { toKeras, type Distribution, type KerasOptions } from './emit/keras';
