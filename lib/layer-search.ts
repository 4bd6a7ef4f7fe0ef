/** Finding layer types by name or purpose, for the palette and the quick-add box. */
import { LAYERS, type AnyLayerSpec } from '@/graph-compiler';

/**
 * Layer types matching `query`, best first: a type starting with it, then containing it, then
 * matching one of its keywords, the category or the description. An empty query gives every layer.
 */
export function searchLayers(query: string, layers: readonly AnyLayerSpec[] = LAYERS): AnyLayerSpec[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...layers];
  const scored: [number, number, AnyLayerSpec][] = [];
  layers.forEach((l, i) => {
    const type = l.type.toLowerCase();
    let score = 0;
    if (type.startsWith(q)) score = 4;
    else if (type.includes(q)) score = 3;
    else if ((l.keywords ?? '').split(' ').some((w) => w.startsWith(q))) score = 2;
    else if (l.category.startsWith(q) || l.description.toLowerCase().includes(q)) score = 1;
    if (score) scored.push([score, i, l]);
  });
  return scored.sort((a, b) => b[0] - a[0] || a[1] - b[1]).map(([, , l]) => l);
}
