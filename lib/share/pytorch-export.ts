/**
 * The Share menu's PyTorch export: the script, and beside it the weights as `.npz` in the
 * script's state_dict layout: the trained ones when the last run trained this graph (read back
 * from the tfjs files the training worker saves), else the initial weights of a model built with
 * the document's seed, as the run would start from. tfjs is loaded only when it is needed.
 */
import type { CompileResult, GraphDocument } from '@/graph-compiler';
import { toNpz } from '@/graph-compiler/emit/npz';
import { pytorchRefusals, pytorchStateDict, toPytorch } from '@/graph-compiler/emit/pytorch';
import { exportWeights, type ModelFiles } from './onnx-export';

export type PytorchFiles = { ok: true; script: string; weights: Uint8Array } | { ok: false; message: string };

/** The script and its `.npz` for the graph, with trained weights when `trained` holds them. */
export async function pytorchFiles(doc: GraphDocument, result: CompileResult, trained: ModelFiles | null): Promise<PytorchFiles> {
  const refusals = pytorchRefusals(result);
  if (refusals.length) return { ok: false, message: `PyTorch cannot compute this graph exactly as tfjs does: ${refusals.join(' ')}` };
  const weights = await exportWeights(doc, result, trained);
  return { ok: true, script: toPytorch(doc, result), weights: toNpz(pytorchStateDict(result, weights)) };
}
