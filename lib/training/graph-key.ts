/** What makes two compiled graphs the same model, for the views and the backend measurement. */
import type { CompileResult } from '@/graph-compiler';

/**
 * Two compiled graphs are the same model when their layers in order, with params and inputs,
 * are the same (positions and names are left out, since moving or renaming a node changes no
 * weight and no cost).
 */
export function graphKey(result: CompileResult): string {
  return JSON.stringify(result.order.map((id) => {
    const n = result.nodes[id];
    return [id, n.type, n.params, n.inputIds];
  }));
}
