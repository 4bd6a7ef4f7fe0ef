/** Tidy up: a short chain is one straight column; only a long one wraps into columns. */
import type { GraphDocument } from '@/graph-compiler';
import { layoutPositions, longestChain, WRAP_MIN_LAYERS } from '@/lib/layout';

const chain = (n: number): GraphDocument => ({
  format: 'layerboard.graph',
  version: 1,
  nodes: Array.from({ length: n }, (_, i) => ({ id: `n${i}`, type: i === 0 ? 'Input' : 'Dense', params: {} })),
  edges: Array.from({ length: n - 1 }, (_, i) => ({ source: `n${i}`, target: `n${i + 1}` })),
});

describe('layout', () => {
  it('measures the longest chain, a branch and a cycle', () => {
    expect(longestChain(['a', 'b', 'c'], [{ source: 'a', target: 'b' }, { source: 'b', target: 'c' }])).toBe(3);
    expect(longestChain(['a', 'b', 'c', 'd'], [{ source: 'a', target: 'b' }, { source: 'a', target: 'c' }, { source: 'b', target: 'd' }, { source: 'c', target: 'd' }])).toBe(3);
    expect(longestChain(['a', 'b'], [{ source: 'a', target: 'b' }, { source: 'b', target: 'a' }])).toBe(2);
  });

  it.each([6, 10, WRAP_MIN_LAYERS - 1])('lays a chain of %i layers out as one straight column, even on a wide canvas', async (n) => {
    const p = await layoutPositions(chain(n), { aspectRatio: 2.4 });
    const xs = new Set([...p.values()].map((v) => v.x));
    expect(xs.size).toBe(1);
    const ys = Array.from({ length: n }, (_, i) => p.get(`n${i}`)!.y);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
  });

  it('wraps a chain too long for the screen into side-by-side columns', async () => {
    const p = await layoutPositions(chain(30), { aspectRatio: 2.4 });
    expect(new Set([...p.values()].map((v) => v.x)).size).toBeGreaterThan(1);
  });
});
