/**
 * Keras Python export: the script parses (python3's own parser), matches the reviewed golden
 * files, and states the same shapes and counts as the compiler for every layer.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compile, toKeras, type GraphDocument } from '@/graph-compiler';

const fixtures = path.join(__dirname, '..', 'fixtures');
const load = (name: string): GraphDocument => JSON.parse(readFileSync(path.join(fixtures, `${name}.json`), 'utf8'));
const names = readdirSync(fixtures).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));

/** Parses with python3's ast module; returns the error text or ''. */
function pythonSyntaxError(source: string): string {
  try {
    execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: source, stdio: ['pipe', 'pipe', 'pipe'] });
    return '';
  } catch (e) {
    return String((e as { stderr?: Buffer }).stderr ?? e);
  }
}

test.each([
  ['lenet5', 'none', 'lenet5.py'],
  ['resnet-block', 'mirrored', 'resnet-block.mirrored.py'],
] as const)('%s (%s) matches its golden file', (name, distribute, golden) => {
  const doc = load(name);
  const py = toKeras(doc, compile(doc), { distribute });
  expect(py).toBe(readFileSync(path.join(fixtures, 'golden', golden), 'utf8'));
});

describe.each(names)('%s', (name) => {
  const doc = load(name);
  const result = compile(doc);
  test.each(['none', 'mirrored', 'multiworker'] as const)('parses as Python (%s)', (distribute) => {
    expect(pythonSyntaxError(toKeras(doc, result, { distribute }))).toBe('');
  });

  test('every layer line states the compiler\'s shape and count', () => {
    const py = toKeras(doc, result);
    for (const id of result.order) {
      const n = result.nodes[id];
      const line = py.split('\n').find((l) => l.includes(`name="${id}"`));
      expect(line).toBeDefined();
      expect(line).toContain(`(None, ${n.outputShape!.join(', ')})`);
      expect(line).toContain(`${(n.paramCount!.trainable + n.paramCount!.nonTrainable).toLocaleString('en-US')} params`);
    }
  });
});

test('custom layers are written out only when used, and wired by distribution choice', () => {
  const custom = load('custom-activations');
  const py = toKeras(custom, compile(custom), { distribute: 'multiworker' });
  expect(py).toContain('class Maxout(layers.Layer)');
  expect(py).toContain('class Step(layers.Layer)');
  expect(py).toContain('layers.LeakyReLU(negative_slope=0.2, name="act")');
  expect(py).toContain('Maxout(8, pieces=3, kernel_regularizer=keras.regularizers.L1(0.001), name="maxout1")');
  expect(py).toContain('strategy = tf.distribute.MultiWorkerMirroredStrategy()');
  expect(py).toContain('with strategy.scope():');
  const lenet = load('lenet5');
  const plain = toKeras(lenet, compile(lenet));
  expect(plain).not.toMatch(/class (Maxout|Step)|strategy/);
});

test('training settings reach compile() and fit()', () => {
  const doc = load('resnet-block');
  const py = toKeras(doc, compile(doc));
  expect(py).toContain('optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)');
  expect(py).toContain('"epochs": 10');
  expect(py).toContain('keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=2, min_delta=0, restore_best_weights=True)');
});

test('a graph with errors is refused', () => {
  const doc = load('lenet5');
  doc.nodes[1].params.kernelSize = 40;
  expect(() => toKeras(doc, compile(doc))).toThrow(/The graph has errors/);
});
