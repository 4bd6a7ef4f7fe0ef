/**
 * The command line's ONNX contract: `export onnx FILE --out OUT.onnx [--seed N]` writes a file
 * (onnxruntime and onnx judge the files in onnx-export.test.ts) that imports back; without --out it refuses (a binary file is not printed);
 * a layer without an ONNX form is exit 1 naming the node; `import` tells ONNX from JSON by the
 * content (any file name); a file that is neither is exit 2 with a message, never a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compile } from '@/graph-compiler';
import { run, runAsync } from '@/cli/layerboard';
import { templateById } from '@/lib/templates';

const ROOT = path.join(__dirname, '..', '..');
const fixture = (name: string) => path.join(ROOT, '__tests__', 'fixtures', `${name}.json`);
const noStdin = () => '';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'layerboard-onnx-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('export onnx writes the model; the same seed gives the same bytes; import reads it back', async () => {
  const out = path.join(dir, 'lenet5.onnx');
  const r = await runAsync(['export', 'onnx', fixture('lenet5'), '--out', out, '--seed', '3'], noStdin);
  expect(r).toEqual({ stdout: '', stderr: expect.stringMatching(/^layerboard: wrote .*lenet5\.onnx \(\d+ bytes, 61706 weights, opset 13, NCHW\)\n$/), code: 0 });
  const again = path.join(dir, 'again.onnx');
  await runAsync(['export', 'onnx', fixture('lenet5'), '--out', again, '--seed', '3'], noStdin);
  expect(readFileSync(again).equals(readFileSync(out))).toBe(true);

  // Told apart by content: the same bytes under a .json name still import as ONNX.
  const disguised = path.join(dir, 'model.json');
  copyFileSync(out, disguised);
  const imported = run(['import', disguised], noStdin);
  expect(imported.code).toBe(0);
  expect(imported.stderr).toBe('');
  expect(compile(JSON.parse(imported.stdout)).totals.totalParams).toBe(61706);
}, 60_000);

test('export onnx without --out, with a bad seed, or through the synchronous runner is a usage error', async () => {
  expect(await runAsync(['export', 'onnx', fixture('lenet5')], noStdin)).toEqual({
    stdout: '',
    stderr: 'layerboard: export onnx writes a binary file, so it needs --out OUT.onnx (it does not print to standard output)\nusage: layerboard export onnx <file|-> --out OUT.onnx [--seed N]\n',
    code: 2,
  });
  expect((await runAsync(['export', 'onnx', fixture('lenet5'), '--out', path.join(dir, 'x.onnx'), '--seed', 'abc'], noStdin)).stderr).toMatch(/--seed must be a whole number/);
  expect(run(['export', 'onnx', fixture('lenet5'), '--out', path.join(dir, 'x.onnx')], noStdin).code).toBe(2);
  expect(existsSync(path.join(dir, 'x.onnx'))).toBe(false);
});

test('a layer without an ONNX form is exit 1 naming the node, and nothing is written', async () => {
  const doc = path.join(dir, 'lstm.json');
  writeFileSync(doc, JSON.stringify(templateById('lstm-mnist')!.doc));
  const out = path.join(dir, 'lstm.onnx');
  const r = await runAsync(['export', 'onnx', doc, '--out', out], noStdin);
  expect(r).toEqual({ stdout: '', stderr: 'layerboard: LSTM "lstm": the ONNX export does not write recurrent layers yet.\n', code: 1 });
  expect(existsSync(out)).toBe(false);
});

test('import of a file that is neither JSON nor ONNX is exit 2 with a message', () => {
  const junk = path.join(dir, 'junk.onnx');
  writeFileSync(junk, Buffer.from([0x08, 0x07, 0x12, 0xff, 0xff, 0xff, 0x01, 0x02]));
  const r = run(['import', junk], noStdin);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^layerboard: .*junk\.onnx: not JSON, and not a readable ONNX model: the data is cut short or damaged/);
  expect(r.stderr).not.toMatch(/Error|at \w+ \(/);
});

test('the real command line: export onnx and import, with exit codes', () => {
  const cli = (...args: string[]) => spawnSync('npm', ['run', '--silent', 'layerboard', '--', ...args], { cwd: ROOT, encoding: 'utf8' });
  const out = path.join(dir, 'cli.onnx');
  const exported = cli('export', 'onnx', fixture('mnist-convnet'), '--out', out);
  expect([exported.status, exported.stderr]).toEqual([0, expect.stringMatching(/wrote .* 34826 weights/)]);
  const imported = cli('import', out);
  expect(imported.status).toBe(0);
  expect(JSON.parse(imported.stdout).format).toBe('layerboard.graph');
  expect(cli('import', path.join(dir, 'missing.onnx')).status).toBe(2);
}, 60_000);
