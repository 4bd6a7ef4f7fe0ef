/**
 * Which graph the last run trained, so that the Share menu's tfjs and ONNX exports carry the trained
 * weights only while they still fit the graph on the canvas. Moving nodes, renaming the
 * document or changing the training block keeps them; any change to a layer or an edge does not.
 */
import type { GraphDocument } from '@/graph-compiler';
import { useTrainingSession } from '@/lib/training/session';

let trainedGraph: string | null = null;

/** What makes up the model: layers with their params, and the edges in order. */
function modelKey(doc: GraphDocument): string {
  return JSON.stringify([doc.nodes.map((n) => [n.id, n.type, n.params]), doc.edges.map((e) => [e.source, e.target])]);
}

/** Called when a run starts: its model will be built from `doc`. */
export function noteTrainedGraph(doc: GraphDocument): void {
  trainedGraph = modelKey(doc);
}

/**
 * The trained model's files (model.json and weights) when it was trained from `doc`'s layers,
 * for the ONNX export; `none` or `changed` as for `exportTrainedModel`.
 */
export async function trainedModelFiles(doc: GraphDocument): Promise<{ json: string; weights: ArrayBuffer } | 'none' | 'changed'> {
  const session = useTrainingSession.getState();
  if (!session.hasModel || session.evaluationSource !== 'run' || trainedGraph === null) return 'none';
  if (modelKey(doc) !== trainedGraph) return 'changed';
  return (await session.modelFiles()) ?? 'none';
}

/**
 * Downloads `<baseName>.json` and `<baseName>.weights.bin` of the trained model when it was
 * trained from `doc`'s layers; `none` when there is no trained model, `changed` when the graph
 * changed since.
 */
export async function exportTrainedModel(doc: GraphDocument, baseName: string): Promise<'exported' | 'none' | 'changed'> {
  const session = useTrainingSession.getState();
  if (!session.hasModel || session.evaluationSource !== 'run' || trainedGraph === null) return 'none';
  if (modelKey(doc) !== trainedGraph) return 'changed';
  await session.exportModel(baseName);
  return 'exported';
}
