/**
 * `export pytorch` on the command line: the script on standard output, the initial weights as
 * `.npz` with `--weights-out` (the same bytes the browser's seeded model gives), a refusal on
 * standard error naming the node with exit 1, and the usual exit 2 for bad usage.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { checkTraining, compile, toTfjsModel, type GraphDocument } from '@/graph-compiler';
import { toNpz } from '@/graph-compiler/emit/npz';
import { pytorchStateDict } from '@/graph-compiler/emit/pytorch';
import { nodeWeights } from '@/graph-compiler/emit/weights';
import { run } from '@/cli/layerboard';
import { withSeededMathRandom } from '@/lib/datasets/rng';
import { workDir } from './torch-judge';

tf.env().set('PROD', true);

const fixture = (name: string) => path.join(__dirname, '../fixtures', `${name}.json`);

describe('export pytorch', () => {
  const dir = workDir('pytorch-cli');

  test('writes the script, and with --weights-out the weights the browser\'s model starts from', async () => {
    const out = path.join(dir, 'lenet5.npz');
    const r = run(['export', 'pytorch', fixture('lenet5'), '--weights-out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^"""LeNet-5.*: built with Layerboard, for PyTorch\./);
    expect(r.stdout).toContain('class Model(nn.Module):');
    const doc = JSON.parse(readFileSync(fixture('lenet5'), 'utf8')) as GraphDocument;
    const result = compile(doc);
    const model = await withSeededMathRandom(checkTraining(doc.training).settings.seed, () => toTfjsModel(tf, result));
    const expected = toNpz(pytorchStateDict(result, nodeWeights(model, result)));
    model.dispose();
    expect(Buffer.from(readFileSync(out)).equals(Buffer.from(expected))).toBe(true);

    const other = path.join(dir, 'lenet5-seed7.npz');
    expect(run(['export', 'pytorch', fixture('lenet5'), '--weights-out', other, '--seed', '7']).code).toBe(0);
    expect(Buffer.from(readFileSync(other)).equals(Buffer.from(expected))).toBe(false);
  }, 60_000);

  test('a layer PyTorch cannot compute exactly: exit 1, the node named on standard error and in the script', () => {
    const doc: GraphDocument = {
      format: 'layerboard.graph', version: 1,
      nodes: [{ id: 'in', type: 'Input', params: { shape: [2, 2, 2, 3] } }, { id: 'bn4', type: 'BatchNormalization', params: {}, label: 'norm' }],
      edges: [{ source: 'in', target: 'bn4' }],
    };
    const r = run(['export', 'pytorch', '-', '--weights-out', path.join(dir, 'never.npz')], () => JSON.stringify(doc));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('BatchNormalization "norm"');
    expect(r.stderr).toContain('no weights written');
    expect(r.stdout).toContain('# BatchNormalization "norm": normalising the last axis of a rank-4 tensor');
    expect(r.stdout).toContain('raise NotImplementedError(');
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  test('bad usage and bad documents', () => {
    expect(run(['export', 'pytorch']).code).toBe(2);
    expect(run(['export', 'pytorch', fixture('lenet5'), '--seed', '-1']).code).toBe(2);
    expect(run(['export', 'pytorch', fixture('lenet5'), '--bogus', '1']).code).toBe(2);
    expect(run(['export', 'pytorch', '-'], () => 'not json').code).toBe(2);
    const bad = { format: 'layerboard.graph', version: 1, nodes: [{ id: 'd', type: 'Dense', params: { units: 0 } }], edges: [] };
    expect(run(['export', 'pytorch', '-'], () => JSON.stringify(bad)).code).toBe(1);
    const unwritable = run(['export', 'pytorch', fixture('lenet5'), '--weights-out', path.join(dir, 'no-such-dir', 'w.npz')]);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toContain('cannot write');
  }, 60_000);
});
