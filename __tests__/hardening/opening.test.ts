/**
 * Opening what a stranger sends stays bounded and says what it did: big graphs without
 * positions get the cheap layered layout (ELK only up to its size), a failing autosave keeps
 * saying so until a save succeeds, labels cannot reorder what is shown around them, and a
 * run of more layers than tfjs can build is refused with a message.
 */
import { compile, visibleText, type GraphDocument } from '@/graph-compiler';
import { ELK_MAX_NODES, layeredPositions, layoutPositions } from '@/lib/layout';
import { createAutosaver } from '@/lib/persistence';
import { checkRun, MAX_TRAINABLE_LAYERS } from '@/lib/training/check';
import { checkTraining } from '@/graph-compiler';

const chainDoc = (n: number): GraphDocument => {
  const ids = Array.from({ length: n }, (_, i) => `c${i}`);
  return {
    format: 'layerboard.graph', version: 1,
    nodes: [{ id: 'in', type: 'Input', params: { shape: [4] } }, ...ids.map((id) => ({ id, type: 'Dense', params: { units: 2 } }))],
    edges: [{ source: 'in', target: 'c0' }, ...ids.slice(1).map((id, i) => ({ source: ids[i], target: id }))],
  };
};

describe('layout past ELK\'s size', () => {
  test('a 5,000-node chain: every node placed, on the grid, no two on one spot, in columns', async () => {
    const doc = chainDoc(5000);
    const notes: string[] = [];
    const positions = await layoutPositions(doc, { onNote: (m) => notes.push(m) });
    expect(positions.size).toBe(5001);
    const spots = new Set([...positions.values()].map((p) => `${p.x},${p.y}`));
    expect(spots.size).toBe(5001);
    for (const p of positions.values()) expect(Number.isFinite(p.x) && Number.isFinite(p.y) && p.x % 16 === 0 && p.y % 16 === 0).toBe(true);
    // Wrapped into columns: no column is thousands of rows tall.
    expect(Math.max(...[...positions.values()].map((p) => p.y))).toBeLessThan(40 * 200);
    expect(notes).toEqual(['This graph has 5,001 layers and 5,000 connections, too many for the full automatic layout, so it is laid out quickly in rows.']);
  });

  test('600 nodes and 39,000 edges (cycles included): placed without ELK', async () => {
    const ids = Array.from({ length: 600 }, (_, i) => `m${i}`);
    const doc: GraphDocument = {
      format: 'layerboard.graph', version: 1,
      nodes: ids.map((id) => ({ id, type: 'Dense', params: { units: 2 } })),
      edges: Array.from({ length: 39_000 }, (_, k) => ({ source: ids[k % 600], target: ids[(k * 7 + 1) % 600] })),
    };
    const notes: string[] = [];
    const positions = await layoutPositions(doc, { onNote: (m) => notes.push(m) });
    expect(positions.size).toBe(600);
    expect(notes).toHaveLength(1);
  });

  test('layers follow the longest path: a node sits below everything that feeds it', () => {
    const doc: GraphDocument = {
      format: 'layerboard.graph', version: 1,
      nodes: ['a', 'b', 'c', 'd'].map((id) => ({ id, type: 'Dense', params: {} })),
      edges: [{ source: 'a', target: 'b' }, { source: 'b', target: 'c' }, { source: 'a', target: 'c' }, { source: 'a', target: 'd' }],
    };
    const p = layeredPositions(doc);
    expect(p.get('a')!.y).toBeLessThan(p.get('b')!.y);
    expect(p.get('b')!.y).toBeLessThan(p.get('c')!.y);
    expect(p.get('d')!.y).toBe(p.get('b')!.y);
  });

  test('a small graph still goes to ELK (no note)', async () => {
    const notes: string[] = [];
    const positions = await layoutPositions(chainDoc(5), { onNote: (m) => notes.push(m) });
    expect(positions.size).toBe(6);
    expect(notes).toEqual([]);
    expect(ELK_MAX_NODES).toBeGreaterThanOrEqual(300);
  });
});

describe('autosave failures', () => {
  test('said once when writes start failing, cleared when one succeeds; failing() tells a reload guard', () => {
    const map = new Map<string, string>();
    let full = true;
    const store = {
      getItem: (k: string) => map.get(k) ?? null,
      setItem: (k: string, v: string) => {
        if (full) throw new DOMException('quota', 'QuotaExceededError');
        map.set(k, v);
      },
      removeItem: (k: string) => void map.delete(k), clear: () => map.clear(), key: () => null, length: 0,
    } as Storage;
    const events: string[] = [];
    const saver = createAutosaver(() => events.push('failed'), store, () => events.push('recovered'));
    const doc = chainDoc(2);
    saver.schedule(doc);
    saver.flush();
    saver.schedule({ ...doc, name: 'again' });
    saver.flush();
    expect(events).toEqual(['failed']);
    expect(saver.failing()).toBe(true);
    full = false;
    saver.schedule({ ...doc, name: 'saved' });
    saver.flush();
    expect(events).toEqual(['failed', 'recovered']);
    expect(saver.failing()).toBe(false);
    expect(JSON.parse(map.get('layerboard.autosave.v1')!).name).toBe('saved');
  });
});

test('bidirectional controls in a name are shown, not obeyed, in messages and on the canvas', () => {
  expect(visibleText('abc\u202edcba\u202c \u2066x\u2069')).toBe('abc⟨U+202E⟩dcba⟨U+202C⟩ ⟨U+2066⟩x⟨U+2069⟩');
  const r = compile({
    format: 'layerboard.graph', version: 1,
    nodes: [{ id: 'in', type: 'Input', params: { shape: [4] } }, { id: 'd', type: 'Dense', label: 'evil\u202etxt.exe', params: { units: 0 } }],
    edges: [{ source: 'in', target: 'd' }],
  });
  expect(r.diagnostics[0].message).toMatch(/^Dense "evil⟨U\+202E⟩txt\.exe": units must be/);
});

test(`training more than ${MAX_TRAINABLE_LAYERS.toLocaleString('en-US')} layers is refused with a message`, () => {
  const doc = chainDoc(MAX_TRAINABLE_LAYERS + 1);
  doc.nodes[doc.nodes.length - 1].params = { units: 2, activation: 'softmax' };
  const result = compile(doc);
  const { settings } = checkTraining({ dataset: 'xor' });
  const run = checkRun(result, settings, null);
  expect(run.diagnostics.find((d) => d.code === 'too-many-layers')?.message).toMatch(/^This graph has 3,002 layers; TensorFlow\.js cannot build a model of more than about 4,000/);
});
