/**
 * The command line's contract: output shapes, JSON fields and exit codes 0/1/2, never a stack
 * trace. Most cases call the command in-process; a few run the real npm script end to end.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { run } from '@/cli/layerboard';

const root = path.join(__dirname, '..', '..');
const fixture = (name: string) => path.join(root, '__tests__', 'fixtures', `${name}.json`);
const stdinOf = (text: string) => () => text;

test('summary prints a Keras-like table with totals', () => {
  const r = run(['summary', fixture('lenet5')]);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/Layer \(type\)\s+Output Shape\s+Param #\s+MACs\s+Connected to/);
  expect(r.stdout).toMatch(/c1 \(Conv2D\)\s+\(None, 28, 28, 6\)\s+156\s+117,600\s+input/);
  expect(r.stdout).toMatch(/Total params: 61,706 \(241\.04 KB\)/);
  expect(r.stdout).toMatch(/No problems found\./);
});

test('summary --json has the documented shape', () => {
  const r = run(['summary', fixture('mnist-convnet'), '--json']);
  expect(r.code).toBe(0);
  const j = JSON.parse(r.stdout);
  expect(j).toMatchObject({ ok: true, totalParams: 34826, trainableParams: 34826, nonTrainableParams: 0 });
  expect(typeof j.macs).toBe('number');
  expect(j.layers[1]).toEqual(expect.objectContaining({ id: 'conv1', type: 'Conv2D', outputShape: [26, 26, 32], params: 320, trainableParams: 320, macs: 26 * 26 * 32 * 9 }));
  expect(j.outputs).toEqual([{ id: 'output', shape: [10] }]);
  expect(j.diagnostics[0]).toEqual(expect.objectContaining({ severity: 'warning', code: 'stride-remainder', nodeId: 'pool2' }));
});

test('a graph with errors exits 1 and still carries every figure it could compute', () => {
  const doc = JSON.parse(readFileSync(fixture('lenet5'), 'utf8'));
  doc.nodes[3].params.kernelSize = 20;
  const r = run(['summary', '-', '--json'], stdinOf(JSON.stringify(doc)));
  expect(r.code).toBe(1);
  const j = JSON.parse(r.stdout);
  expect(j.ok).toBe(false);
  expect(j.layers[1].outputShape).toEqual([28, 28, 6]);
  expect(j.layers[3].outputShape).toBeNull();
  expect(j.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', code: 'output-size', nodeId: 'c3' }));
});

test('everything inside nodes and edges is exit 1, never 2', () => {
  const r = run(['summary', '-'], stdinOf(JSON.stringify({ format: 'layerboard.graph', version: 1, nodes: [1, 'x', { id: 3 }], edges: [null] })));
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/error\s+\[node-malformed\]/);
});

test.each([
  ['not JSON', '{nope', /is not JSON/],
  ['wrong format', JSON.stringify({ format: 'x', version: 1, nodes: [], edges: [] }), /"format" is "x"/],
  ['wrong version', JSON.stringify({ format: 'layerboard.graph', version: 7, nodes: [], edges: [] }), /version 7 is newer/],
  ['edges not an array', JSON.stringify({ format: 'layerboard.graph', version: 1, nodes: [], edges: 3 }), /"edges" must be an array/],
])('%s exits 2 with a message', (_n, text, message) => {
  const r = run(['summary', '-'], stdinOf(text));
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
});

test('usage problems exit 2', () => {
  expect(run(['summary']).code).toBe(2);
  expect(run(['frobnicate']).stderr).toMatch(/unknown command "frobnicate"/);
  expect(run(['summary', '/no/such/file.json']).stderr).toMatch(/no such file/);
});

describe('the real npm script', () => {
  const cli = (args: string[], input?: string) =>
    spawnSync('npm', ['run', '--silent', 'layerboard', '--', ...args], { cwd: root, input, encoding: 'utf8' });

  test('exit codes 0, 1 and 2', () => {
    const ok = cli(['summary', fixture('lenet5'), '--json']);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).totalParams).toBe(61706);

    const bad = cli(['summary', '-'], JSON.stringify({ format: 'layerboard.graph', version: 1, nodes: [], edges: [] }));
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/\[empty-graph\]/);

    const notJson = cli(['summary', '-'], 'garbage');
    expect(notJson.status).toBe(2);
    expect(notJson.stderr).toMatch(/is not JSON/);
    expect(notJson.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});

describe('export keras', () => {
  test('prints the golden script and honours --distribute', () => {
    const r = run(['export', 'keras', fixture('lenet5')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(path.join(root, '__tests__', 'fixtures', 'golden', 'lenet5.py'), 'utf8'));
    expect(run(['export', 'keras', fixture('lenet5'), '--distribute', 'multiworker']).stdout).toContain('MultiWorkerMirroredStrategy()');
  });

  test('a graph with errors exits 1, a bad option 2', () => {
    const doc = JSON.parse(readFileSync(fixture('lenet5'), 'utf8'));
    doc.nodes[1].params.filters = 0;
    const bad = run(['export', 'keras', '-'], stdinOf(JSON.stringify(doc)));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/error \[param-invalid\] c1: Conv2D "c1": filters must be a whole number ≥ 1; got 0\./);
    expect(run(['export', 'keras', fixture('lenet5'), '--distribute', 'tpu']).code).toBe(2);
  });
});
