/**
 * Model formats other programs read and write: tfjs layers `model.json` export and import
 * (Keras 2, Keras 3 and tfjs-layers configs). Pure: no DOM, and tfjs only where a built model
 * is involved (passed in).
 */
export {
  saveTfjsModel, toModelJson, toModelTopology, TFJS_LAYERS_VERSION,
  type ModelJson, type ModelTopology, type WeightSpec,
} from './tfjs-export';
export { fromModelJson, type ModelImport } from './tfjs-import';
export { importLayer, type ImportedLayer, type LayerConfigJson } from './tfjs-layers';
