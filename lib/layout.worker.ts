/// <reference lib="webworker" />
/**
 * ELK in a Web Worker: laying out a few hundred nodes takes seconds of pure computation, which
 * must not freeze the page. Messages: `{ id, graph }` in, `{ id, result }` or `{ id, error }` out.
 */
import ELK from 'elkjs/lib/elk.bundled.js';

const elk = new ELK();

self.onmessage = async (e: MessageEvent<{ id: number; graph: Parameters<typeof elk.layout>[0] }>) => {
  const { id, graph } = e.data;
  try {
    postMessage({ id, result: await elk.layout(graph) });
  } catch (err) {
    postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
