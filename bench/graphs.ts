/**
 * Graph documents of a chosen size for the compile benchmark (bench/compile.ts) and the
 * graph-compiler tests: a plain chain, ResNet-like residual blocks and Inception-like
 * Concatenate blocks. Every generator returns exactly `n` nodes and a valid graph.
 */
import type { GraphDocument, GraphEdge, GraphNode } from '../graph-compiler';

/** Builds a document node by node; `add` returns the new node's id for later edges. */
export class DocBuilder {
  readonly nodes: GraphNode[] = [];
  readonly edges: GraphEdge[] = [];
  private next = 0;

  constructor(private readonly prefix = 'n') {}

  /** Adds a node fed by `inputs` (in edge order) and returns its id. */
  add(type: string, params: Record<string, unknown>, inputs: string[] = [], id?: string): string {
    const nodeId = id ?? `${this.prefix}${this.next++}`;
    this.nodes.push({ id: nodeId, type, params });
    for (const source of inputs) this.edges.push({ source, target: nodeId });
    return nodeId;
  }

  get size(): number {
    return this.nodes.length;
  }

  doc(name?: string): GraphDocument {
    return { format: 'layerboard.graph', version: 1, ...(name ? { name } : {}), nodes: this.nodes, edges: this.edges };
  }
}

/** Pads a graph with shape-preserving layers until it has `n - head` nodes. */
function fill(b: DocBuilder, x: string, n: number, head: number): string {
  let y = x;
  for (let i = 0; b.size < n - head; i++) {
    y = i % 2 === 0 ? b.add('Activation', { activation: 'relu' }, [y]) : b.add('Dropout', { rate: 0.1 }, [y]);
  }
  return y;
}

/** Input [64] → repeated Dense 64 relu / BatchNormalization / Activation / Dropout → Dense 10 softmax. */
export function chainGraph(n: number): GraphDocument {
  if (n < 2) throw new Error('a chain needs at least 2 nodes');
  const b = new DocBuilder();
  let x = b.add('Input', { shape: [64] }, [], 'input');
  while (b.size + 4 <= n - 1) {
    x = b.add('Dense', { units: 64, activation: 'relu' }, [x]);
    x = b.add('BatchNormalization', {}, [x]);
    x = b.add('Activation', { activation: 'relu' }, [x]);
    x = b.add('Dropout', { rate: 0.1 }, [x]);
  }
  x = fill(b, x, n, 1);
  b.add('Dense', { units: 10, activation: 'softmax' }, [x], 'output');
  return b.doc(`chain-${n}`);
}

/**
 * Input [32, 32, 16] → residual blocks (Conv2D 3×3 same relu, BatchNormalization, Conv2D 3×3
 * same, BatchNormalization, Add with the block input, Activation relu) → GAP → Dense 10.
 */
export function resnetGraph(n: number): GraphDocument {
  if (n < 3) throw new Error('a ResNet-like graph needs at least 3 nodes');
  const b = new DocBuilder();
  let x = b.add('Input', { shape: [32, 32, 16] }, [], 'input');
  while (b.size + 6 <= n - 2) {
    const c1 = b.add('Conv2D', { filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }, [x]);
    const b1 = b.add('BatchNormalization', {}, [c1]);
    const c2 = b.add('Conv2D', { filters: 16, kernelSize: 3, padding: 'same' }, [b1]);
    const b2 = b.add('BatchNormalization', {}, [c2]);
    const sum = b.add('Add', {}, [b2, x]);
    x = b.add('Activation', { activation: 'relu' }, [sum]);
  }
  x = fill(b, x, n, 2);
  x = b.add('GlobalAveragePooling2D', {}, [x]);
  b.add('Dense', { units: 10, activation: 'softmax' }, [x], 'output');
  return b.doc(`resnet-${n}`);
}

/**
 * Input [16, 16, 16] → Inception-like blocks (Conv2D 1×1, Conv2D 3×3 and MaxPooling2D 3×3/1 →
 * Conv2D 1×1 branches, Concatenate, Conv2D 1×1 back to 16 channels) → GAP → Dense 10.
 */
export function inceptionGraph(n: number): GraphDocument {
  if (n < 3) throw new Error('an Inception-like graph needs at least 3 nodes');
  const b = new DocBuilder();
  let x = b.add('Input', { shape: [16, 16, 16] }, [], 'input');
  while (b.size + 6 <= n - 2) {
    const a = b.add('Conv2D', { filters: 8, kernelSize: 1, activation: 'relu' }, [x]);
    const c = b.add('Conv2D', { filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }, [x]);
    const p = b.add('MaxPooling2D', { poolSize: 3, strides: 1, padding: 'same' }, [x]);
    const pc = b.add('Conv2D', { filters: 8, kernelSize: 1, activation: 'relu' }, [p]);
    const cat = b.add('Concatenate', { axis: -1 }, [a, c, pc]);
    x = b.add('Conv2D', { filters: 16, kernelSize: 1, activation: 'relu' }, [cat]);
  }
  x = fill(b, x, n, 2);
  x = b.add('GlobalAveragePooling2D', {}, [x]);
  b.add('Dense', { units: 10, activation: 'softmax' }, [x], 'output');
  return b.doc(`inception-${n}`);
}

export interface BenchGraph {
  name: string;
  make: (n: number) => GraphDocument;
}

/** The graph families the benchmark times, at every size. */
export const BENCH_GRAPHS: BenchGraph[] = [
  { name: 'chain', make: chainGraph },
  { name: 'resnet', make: resnetGraph },
  { name: 'inception', make: inceptionGraph },
];
