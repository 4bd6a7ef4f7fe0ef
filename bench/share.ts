/**
 * Share-link benchmark: how many characters a link takes for well-known graphs, against the
 * goals of the share-link issue, and how long making and reading it takes.
 *
 *   npx tsx bench/share.ts
 *
 * "with positions" lays the graph out first with elkjs (layered, top to bottom, 180×56 px
 * nodes), as the editor's automatic layout places nodes, so the positions are realistic.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ELK from 'elkjs/lib/elk.bundled.js';
import type { GraphDocument } from '../graph-compiler';
import { decodeLink, encodeLink, shareUrl } from '../lib/share/link';
import { resnet50Document } from './share-resnet50';

export interface ShareBenchRow {
  graph: string;
  nodes: number;
  /** Minified JSON of the document, in characters. */
  jsonChars: number;
  /** Characters after `#g=`. */
  linkChars: number;
  /** The whole URL with the default base http://localhost:3000/. */
  urlChars: number;
  goal: number | null;
  encodeMs: number;
  decodeMs: number;
}

const fixture = (name: string): GraphDocument =>
  JSON.parse(readFileSync(path.join(__dirname, '..', '__tests__', 'fixtures', `${name}.json`), 'utf8'));

/** Places every node with ELK's layered algorithm, top to bottom. */
export async function withElkPositions(doc: GraphDocument): Promise<GraphDocument> {
  const elk = new ELK();
  const laid = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.spacing.nodeNode': '40',
      'elk.layered.spacing.nodeNodeBetweenLayers': '48',
    },
    children: doc.nodes.map((n) => ({ id: n.id, width: 180, height: 56 })),
    edges: doc.edges.map((e, i) => ({ id: `e${i}`, sources: [e.source], targets: [e.target] })),
  });
  const at = new Map((laid.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0 }]));
  return { ...doc, nodes: doc.nodes.map((n) => ({ ...n, position: at.get(n.id) })) };
}

function timeMs(fn: () => void, runs = 20): number {
  fn();
  const start = performance.now();
  for (let i = 0; i < runs; i++) fn();
  return (performance.now() - start) / runs;
}

function measure(graph: string, doc: GraphDocument, goal: number | null): ShareBenchRow {
  const link = encodeLink(doc);
  if (!link.ok) throw new Error(`${graph}: ${link.message}`);
  const back = decodeLink(link.fragment);
  if (!back.ok) throw new Error(`${graph}: the link does not open: ${back.message}`);
  return {
    graph,
    nodes: doc.nodes.length,
    jsonChars: JSON.stringify(doc).length,
    linkChars: link.payload.length,
    urlChars: shareUrl(link).length,
    goal,
    encodeMs: timeMs(() => encodeLink(doc)),
    decodeMs: timeMs(() => decodeLink(link.fragment)),
  };
}

/** Measures every graph; the goals are the share-link issue's. */
export async function shareBenchRows(): Promise<ShareBenchRow[]> {
  const resnet = resnet50Document();
  return [
    measure('LeNet-5', fixture('lenet5'), 400),
    measure('LeNet-5, with positions', await withElkPositions(fixture('lenet5')), null),
    measure('Keras MNIST convnet', fixture('mnist-convnet'), null),
    measure('VGG16', fixture('vgg16'), null),
    measure('ResNet50, no positions', resnet, 2000),
    measure('ResNet50, with positions', await withElkPositions(resnet), 2500),
  ];
}

/** The benchmark as a Markdown table (what `npm run bench` prints). */
export async function runShareBench(): Promise<string> {
  const rows = await shareBenchRows();
  const fmt = (n: number) => n.toLocaleString('en-US');
  const lines = [
    '| graph | nodes | document JSON (chars) | link after #g= (chars) | whole URL (chars) | goal | encode (ms) | open (ms) |',
    '| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |',
    ...rows.map((r) => `| ${r.graph} | ${r.nodes} | ${fmt(r.jsonChars)} | ${fmt(r.linkChars)} | ${fmt(r.urlChars)} | ${r.goal === null ? '—' : `≤ ${fmt(r.goal)} ${r.urlChars <= r.goal ? 'met' : 'MISSED'}`} | ${r.encodeMs.toFixed(2)} | ${r.decodeMs.toFixed(2)} |`),
  ];
  return lines.join('\n');
}

// Run directly (npx tsx bench/share.ts), not when bundled into bench/run.ts.
if (/bench[\/]share\.ts$/.test(process.argv[1] ?? '')) {
  runShareBench().then((table) => process.stdout.write(`${table}\n`), (e) => {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exitCode = 1;
  });
}
