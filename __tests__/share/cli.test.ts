/**
 * The share and model commands: `link`, `open`, `export tfjs`, `import`, with the exit codes of
 * `summary` (0 ok, 1 graph errors, 2 unreadable input or bad usage) and never a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { run } from '@/cli/layerboard';
import { compile } from '@/graph-compiler';
import { fixtureDoc } from './design';

const root = path.join(__dirname, '..', '..');
const fixture = (name: string) => path.join(root, '__tests__', 'fixtures', `${name}.json`);
const stdinOf = (text: string) => () => text;
const noTrace = (s: string) => expect(s).not.toMatch(/\n\s+at /);

describe('link and open', () => {
  test('link prints a URL on the default base; open gives the document back', () => {
    const linked = run(['link', fixture('lenet5')]);
    expect(linked.code).toBe(0);
    expect(linked.stderr).toBe('');
    expect(linked.stdout).toMatch(/^http:\/\/localhost:3000\/#g=1[A-Za-z0-9_-]+\n$/);
    expect(linked.stdout.length).toBeLessThan(400);
    const opened = run(['open', linked.stdout.trim()]);
    expect(opened.code).toBe(0);
    const doc = JSON.parse(opened.stdout);
    expect(doc.name).toBe('LeNet-5');
    expect(compile(doc).totals.totalParams).toBe(61_706);
  });

  test('--base, a bare fragment and standard input', () => {
    const linked = run(['link', '-', '--base', 'https://layerboard.example/app#old'], stdinOf(readFileSync(fixture('resnet50'), 'utf8')));
    expect(linked.stdout).toMatch(/^https:\/\/layerboard\.example\/app#g=1/);
    expect(linked.stdout.length).toBeLessThanOrEqual(2000);
    const fragment = linked.stdout.trim().slice(linked.stdout.indexOf('#'));
    expect(JSON.parse(run(['open', fragment]).stdout).nodes).toHaveLength(177);
    expect(JSON.parse(run(['open', '-'], stdinOf(`${linked.stdout}\n`)).stdout).name).toBe('ResNet50');
  });

  test('a graph with errors: link still printed, exit 1, errors on stderr', () => {
    const doc = fixtureDoc('lenet5');
    doc.nodes[3].params.kernelSize = 20;
    const linked = run(['link', '-'], stdinOf(JSON.stringify(doc)));
    expect(linked.code).toBe(1);
    expect(linked.stdout).toMatch(/#g=1/);
    expect(linked.stderr).toMatch(/error \[output-size\] c3/);
    const opened = run(['open', linked.stdout.trim()]);
    expect(opened.code).toBe(1);
    expect(JSON.parse(opened.stdout).nodes[3].params.kernelSize).toBe(20);
  });

  const good = run(['link', fixture('resnet-block')]).stdout.trim();
  const payload = good.slice(good.indexOf('#g=') + 3);
  test.each([
    ['truncated', `#g=${payload.slice(0, 40)}`, /cut short: it has 40 of its \d+ characters\. .*\[truncated\]/],
    ['altered', `#g=${payload.slice(0, 30)}${payload[30] === 'Q' ? 'R' : 'Q'}${payload.slice(31)}`, /damaged: some of its characters were changed.*\[corrupt\]/],
    ['wrong version', `#g=7${payload.slice(1)}`, /newer Layerboard \(link format 7\).*\[version\]/],
    ['not base64', `#g=${payload.slice(0, 12)}*${payload.slice(12)}`, /contains "\*".*\[not-base64\]/],
    ['no graph', 'http://localhost:3000/', /no graph in it.*\[empty\]/],
  ])('%s link: message and exit 2', (_name, link, message) => {
    const r = run(['open', link]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    noTrace(r.stderr);
  });

  test('an oversized link: exit 2', async () => {
    const { packPayload } = await import('@/lib/share/link');
    const r = run(['open', `#g=${packPayload(new Uint8Array(3 << 20))}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unpacks to more than 1,048,576 bytes.*\[oversized\]/);
  });

  test('usage and unreadable files: exit 2', () => {
    expect(run(['link']).code).toBe(2);
    expect(run(['link', fixture('lenet5'), '--bogus', 'x']).stderr).toMatch(/unknown option --bogus/);
    expect(run(['link', fixture('lenet5'), '--base', 'nope']).stderr).toMatch(/--base must be an absolute URL/);
    expect(run(['link', '/no/such.json']).stderr).toMatch(/no such file/);
    expect(run(['link', '-'], stdinOf('{"format":"x"}')).stderr).toMatch(/"format" is "x"/);
    expect(run(['open']).code).toBe(2);
  });
});

describe('export tfjs and import', () => {
  test('export tfjs prints a model.json that import reads back', () => {
    const exported = run(['export', 'tfjs', fixture('resnet-block')]);
    expect(exported.code).toBe(0);
    const json = JSON.parse(exported.stdout);
    expect(json).toMatchObject({ format: 'layers-model', modelTopology: { class_name: 'Model' } });
    const imported = run(['import', '-'], stdinOf(exported.stdout));
    expect(imported.code).toBe(0);
    expect(imported.stderr).toBe('');
    expect(compile(JSON.parse(imported.stdout)).totals).toEqual(compile(fixtureDoc('resnet-block')).totals);
  });

  test('export tfjs of a graph with errors: exit 1, nothing on stdout', () => {
    const doc = fixtureDoc('lenet5');
    doc.nodes[3].params.kernelSize = 20;
    const r = run(['export', 'tfjs', '-'], stdinOf(JSON.stringify(doc)));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/error \[output-size\] c3/);
  });

  test('import of a Keras converter model.json', () => {
    const r = run(['import', path.join(root, '__tests__', 'fixtures', 'model-json', 'keras2-sequential-mnist-convnet.json')]);
    expect(r.code).toBe(0);
    expect(compile(JSON.parse(r.stdout)).totals.totalParams).toBe(34_826);
  });

  test('import with an unsupported layer: the document, a message naming it, exit 1', () => {
    const json = JSON.parse(readFileSync(path.join(root, '__tests__', 'fixtures', 'model-json', 'keras2-sequential-mnist-convnet.json'), 'utf8'));
    json.modelTopology.model_config.config.layers[6].class_name = 'GaussianNoise';
    const r = run(['import', '-'], stdinOf(JSON.stringify(json)));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Layer "dropout" \(GaussianNoise\) is not supported/);
    expect(JSON.parse(r.stdout).nodes).toHaveLength(7);
  });

  test.each([
    [['export'], /export needs a format: (.* or )?tfjs/],
    [['export', 'caffe', 'x.json'], /export needs a format: .*tfjs.* \(not "caffe"\)/],
    [['export', 'tfjs'], /export tfjs takes one graph document/],
    [['import'], /import takes one model.json/],
    [['import', '-'], /standard input is not JSON/],
  ])('%j: exit 2', (argv, message) => {
    const r = run(argv as string[], stdinOf('not json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    noTrace(r.stderr);
  });

  test('import of something that is not a layers model: exit 2', () => {
    const r = run(['import', fixture('lenet5')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Layerboard graph document, not a model.json/);
  });
});

test('the real npm script: link, then open, exit codes 0 and 2', () => {
  const cli = (args: string[], input?: string) =>
    spawnSync('npm', ['run', '--silent', 'layerboard', '--', ...args], { cwd: root, input, encoding: 'utf8' });
  const linked = cli(['link', fixture('mnist-convnet')]);
  expect(linked.status).toBe(0);
  const opened = cli(['open', linked.stdout.trim()]);
  expect(opened.status).toBe(0);
  expect(JSON.parse(opened.stdout).name).toBe('Keras MNIST convnet');
  const broken = cli(['open', linked.stdout.trim().slice(0, -12)]);
  expect(broken.status).toBe(2);
  expect(broken.stderr).toMatch(/cut short/);
  noTrace(broken.stderr);
}, 60_000);
