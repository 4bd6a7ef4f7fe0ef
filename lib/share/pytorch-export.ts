/**
 * The Share menu's PyTorch export: the script, and beside it the weights as `.npz` in the
 * script's state_dict layout: the trained ones when the last run trained this graph (read back
 * from the tfjs files the training worker saves), else the initial weights of a model built with
 * the document's seed, as the run would start from. tfjs is loaded only when it is needed.
 */
import { checkTraining, type CompileResult, type GraphDocument } from '@/graph-compiler';
import { toNpz } from '@/graph-compiler/emit/npz';
import { pytorchRefusals, pytorchStateDict, toPytorch } from '@/graph-compiler/emit/pytorch';
import type { NodeWeights } from '@/graph-compiler/emit/weights';
import { weightsFromModelFiles, type ModelFiles } from './onnx-export';

export type PytorchFiles = { ok: true; script: string; weights: Uint8Array } | { ok: false; message: string };

/** The script and its `.npz` for the graph, with trained weights when `trained` holds them. */
export async function pytorchFiles(doc: GraphDocument, result: CompileResult, trained: ModelFiles | null): Promise<PytorchFiles> {
  const refusals = pytorchRefusals(result);
  if (refusals.length) return { ok: false, message: `PyTorch cannot compute this graph exactly as tfjs does: ${refusals.join(' ')}` };
  let weights: NodeWeights;
  if (trained) weights = weightsFromModelFiles(trained, result);
  else {
    const tf = await import('@tensorflow/tfjs');
    const { registerCustomLayers, toTfjsModel } = await import('@/graph-compiler');
    const { nodeWeights } = await import('@/graph-compiler/emit/weights');
    const { withSeededMathRandom } = await import('@/lib/datasets/rng');
    registerCustomLayers(tf);
    const model = await withSeededMathRandom(checkTraining(doc.training).settings.seed, () => toTfjsModel(tf, result));
    weights = nodeWeights(model, result);
    model.dispose();
  }
  return { ok: true, script: toPytorch(doc, result), weights: toNpz(pytorchStateDict(result, weights)) };
}
