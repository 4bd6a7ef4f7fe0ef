/**
 * A ResNet50 graph document (Keras applications `ResNet50`, include_top, 224×224×3), with the
 * Keras layer names as node ids. `npx tsx bench/share-resnet50.ts` rewrites
 * `__tests__/fixtures/resnet50.json`; the share tests check that the file and this generator agree
 * and that the compiler counts the published 25,636,712 parameters.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { GraphDocument, GraphEdge, GraphNode } from '../graph-compiler';

/** Builds the document: stem, 3-4-6-3 bottleneck stages with Add shortcuts, average pool, classifier. */
export function resnet50Document(): GraphDocument {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const add = (id: string, type: string, params: Record<string, unknown>, ...inputs: string[]): string => {
    nodes.push({ id, type, params });
    for (const source of inputs) edges.push({ source, target: id });
    return id;
  };
  const bn = { epsilon: 1.001e-5 };

  let x = add('input_1', 'Input', { shape: [224, 224, 3] });
  x = add('conv1_pad', 'ZeroPadding2D', { padding: 3 }, x);
  x = add('conv1_conv', 'Conv2D', { filters: 64, kernelSize: 7, strides: 2 }, x);
  x = add('conv1_bn', 'BatchNormalization', bn, x);
  x = add('conv1_relu', 'Activation', { activation: 'relu' }, x);
  x = add('pool1_pad', 'ZeroPadding2D', { padding: 1 }, x);
  x = add('pool1_pool', 'MaxPooling2D', { poolSize: 3, strides: 2 }, x);

  // Keras lists a projection block's layers in this order: main path 1 and 2, then the
  // shortcut and main path 3 interleaved; Add takes [shortcut, main].
  const block = (input: string, filters: number, stride: number, shortcut: boolean, name: string): string => {
    let y = add(`${name}_1_conv`, 'Conv2D', { filters, kernelSize: 1, ...(stride > 1 ? { strides: stride } : {}) }, input);
    y = add(`${name}_1_bn`, 'BatchNormalization', bn, y);
    y = add(`${name}_1_relu`, 'Activation', { activation: 'relu' }, y);
    y = add(`${name}_2_conv`, 'Conv2D', { filters, kernelSize: 3, padding: 'same' }, y);
    y = add(`${name}_2_bn`, 'BatchNormalization', bn, y);
    y = add(`${name}_2_relu`, 'Activation', { activation: 'relu' }, y);
    let s = input;
    if (shortcut) s = add(`${name}_0_conv`, 'Conv2D', { filters: 4 * filters, kernelSize: 1, ...(stride > 1 ? { strides: stride } : {}) }, input);
    y = add(`${name}_3_conv`, 'Conv2D', { filters: 4 * filters, kernelSize: 1 }, y);
    if (shortcut) s = add(`${name}_0_bn`, 'BatchNormalization', bn, s);
    y = add(`${name}_3_bn`, 'BatchNormalization', bn, y);
    y = add(`${name}_add`, 'Add', {}, s, y);
    return add(`${name}_out`, 'Activation', { activation: 'relu' }, y);
  };
  const stages: [number, number, number][] = [[64, 3, 1], [128, 4, 2], [256, 6, 2], [512, 3, 2]];
  stages.forEach(([filters, blocks, stride], i) => {
    for (let b = 1; b <= blocks; b++) x = block(x, filters, b === 1 ? stride : 1, b === 1, `conv${i + 2}_block${b}`);
  });
  x = add('avg_pool', 'GlobalAveragePooling2D', {}, x);
  add('predictions', 'Dense', { units: 1000, activation: 'softmax' }, x);
  return { format: 'layerboard.graph', version: 1, name: 'ResNet50', nodes, edges };
}

/** Where the generated fixture lives. */
export const RESNET50_FIXTURE = path.join(__dirname, '..', '__tests__', 'fixtures', 'resnet50.json');

// Run directly (npx tsx bench/share-resnet50.ts), not when bundled into bench/run.ts.
if (/bench[\/]share\-resnet50\.ts$/.test(process.argv[1] ?? '')) {
  writeFileSync(RESNET50_FIXTURE, `${JSON.stringify(resnet50Document(), null, 2)}\n`);
  process.stdout.write(`wrote ${RESNET50_FIXTURE}\n`);
}
