/**
 * The exported script's data is the browser's: the Python `load_data()` of every 2-D set (the
 * seeded generator ported to Python) gives the same points (to 1e-6) and the same labels as
 * the browser's generator, split the same way, for several seeds, noise levels and sizes; the
 * CSV reader gives the same standardised split; the MNIST reader reads the app's own asset
 * into the browser's digits, shaped for every Input MNIST takes.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { checkTraining, type TrainingBlock } from '@/graph-compiler';
import { datasetSpec, PLAYGROUND_SETS } from '@/graph-compiler/datasets';
import { csvDataset, parseCsv } from '@/graph-compiler/datasets/csv-table';
import { decodeMnist, MNIST_PY_PATH, padMnist } from '@/graph-compiler/datasets/mnist';
import { mulberry32, PY_RNG } from '@/graph-compiler/datasets/rng';
import type { TargetEncoding } from '@/graph-compiler/datasets/loss';
import type { Dataset } from '@/graph-compiler/datasets/types';
import { describeWithPython, runLoadData, type PyArrays } from './python-reference';

const settings = (block: TrainingBlock) => checkTraining(block).settings;

function pyCode(block: TrainingBlock, inputShape: number[], encoding: TargetEncoding, units: number): string {
  const code = datasetSpec(settings(block).dataset).python({ settings: settings(block), inputShape, encoding, units });
  return `${PY_RNG}\n\n\n${code}`;
}

/** Labels as the browser's encoding would make them, flattened. */
function encoded(y: Float32Array, encoding: TargetEncoding, units: number): number[] {
  if (encoding !== 'onehot') return [...y];
  return [...y].flatMap((c) => Array.from({ length: units }, (_, k) => (k === c ? 1 : 0)));
}

/** The same values (to 1e-6) and labels; with `limit`, the first `limit` values and the sums. */
function expectSame(py: PyArrays, ds: Dataset, encoding: TargetEncoding, units: number, limit?: number) {
  for (const [k, [name, split]] of ([['train', ds.train], ['test', ds.test]] as const).entries()) {
    const x = py[`x_${name}`];
    expect(x).toHaveLength(limit ?? split.x.length);
    let worst = 0;
    let sum = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - split.x[i] * ds.xScale));
    for (let i = 0; i < split.x.length; i++) sum += split.x[i] * ds.xScale;
    expect(worst).toBeLessThan(1e-6);
    expect(Math.abs(py.sums[2 * k] - sum)).toBeLessThan(1e-6 * split.x.length);
    const y = encoded(split.y, encoding, units);
    expect(py[`y_${name}`]).toEqual(limit === undefined ? y : y.slice(0, limit));
    expect(py.sums[2 * k + 1]).toBe(y.reduce((a, b) => a + b, 0));
  }
}

describeWithPython('2-D sets: the exported generators give the browser\'s points', () => {
  const variants: { block: TrainingBlock; encoding: TargetEncoding; units: number }[] = [];
  for (const spec of PLAYGROUND_SETS) {
    for (const [seed, noise, samples, trainRatio] of [[42, 0.1, 1000, 0.5], [0, 0, 101, 0.7], [7, 0.5, 333, 0.3], [123456789, 0.25, 20, 0.9], [4294967301, 1, 555, 0.5]]) {
      variants.push({ block: { dataset: spec.id, seed, noise, samples, trainRatio }, encoding: seed % 2 ? 'onehot' : 'binary', units: seed % 2 ? 2 : 1 });
    }
  }
  const outputs = runLoadData(variants.map((v) => ({ code: pyCode(v.block, [2], v.encoding, v.units), inputShape: [2], seed: v.block.seed! })));

  test.each(variants.map((v, i) => [v.block.dataset, v.block.seed, v.block.noise, v.block.samples, v.block.trainRatio, i] as const))(
    '%s (seed %d, noise %d, %d points, train ratio %d)', (id, seed, noise, samples, trainRatio, i) => {
      const v = variants[i];
      const ds = PLAYGROUND_SETS.find((s) => s.id === id)!.dataset({ seed: seed!, noise: noise!, samples: samples!, trainRatio: trainRatio! });
      expect(outputs[i].shapes[0]).toEqual([ds.train.n, 2]);
      expect(outputs[i].dtypes[0]).toBe('float32');
      expectSame(outputs[i], ds, v.encoding, v.units);
    },
  );

  test('the Python generator is the browser\'s, bit for bit', () => {
    const seeds = [0, 1, 42, 2 ** 31, 2 ** 32 - 1];
    const code = `${PY_RNG}\n\ndef load_data():\n    xs = []\n    for seed in ${JSON.stringify(seeds)}:\n        r = _Mulberry32(seed)\n        xs += [r() for _ in range(1000)]\n    a = np.array(xs)\n    return (a, a), (a, a)`;
    const [py] = runLoadData([{ code, inputShape: [1], seed: 0 }]);
    const js = seeds.flatMap((s) => {
      const r = mulberry32(s);
      return Array.from({ length: 1000 }, () => r());
    });
    expect(py.x_train).toEqual(js);
  });
});

describeWithPython('CSV: the exported reader splits and standardises as the browser does', () => {
  const rand = mulberry32(5);
  const rows = Array.from({ length: 57 }, (_, i) => [(rand() * 10).toFixed(3), `${Math.floor(rand() * 100)}`, ['setosa', 'Virginica', 'versicolor'][i % 3], (rand() * 3).toFixed(2)]);
  const dir = fs.mkdtempSync('/tmp/layerboard-csv-');
  const write = (name: string, lines: string[]) => {
    fs.writeFileSync(path.join(dir, name), lines.join('\n'));
    return { file: path.join(dir, name), text: lines.join('\n') };
  };
  const classes = write('iris.csv', ['a;b;species;width', ...rows.map((r) => r.join(';'))]);
  const numbers = write('numbers.csv', ['a,b,"width"', ...rows.map((r) => `${r[0]},${r[1]},${r[3]}`), '']);
  const cases = [
    { ...classes, block: { dataset: 'csv', labelColumn: 'species', task: 'classification', seed: 3 } as TrainingBlock, encoding: 'onehot' as const, units: 3, shape: [3] },
    { ...numbers, block: { dataset: 'csv', labelColumn: 'b', task: 'classification', seed: 8 } as TrainingBlock, encoding: 'index' as const, units: 1, shape: [2] },
    { ...numbers, block: { dataset: 'csv', task: 'regression', seed: 11 } as TrainingBlock, encoding: 'value' as const, units: 1, shape: [2] },
  ];
  const outputs = runLoadData(cases.map((c) => ({ code: pyCode(c.block, c.shape, c.encoding, c.units), inputShape: c.shape, seed: c.block.seed!, argv: ['--csv', c.file] })));

  test.each([0, 1, 2])('case %d', (i) => {
    const s = settings(cases[i].block);
    const ds = csvDataset(parseCsv(cases[i].text), { labelColumn: s.labelColumn, task: s.task, seed: s.seed });
    expectSame(outputs[i], ds, cases[i].encoding, cases[i].units);
  });
});

const ASSET = path.join(__dirname, '..', '..', MNIST_PY_PATH);

describeWithPython('MNIST: the exported reader reads the app\'s asset', () => {
  if (!fs.existsSync(ASSET)) {
    test('has the asset', () => {
      throw new Error(`${ASSET} is missing: run node scripts/build-mnist.mjs (npm test does).`);
    });
    return;
  }
  const browser = decodeMnist(new Uint8Array(zlib.gunzipSync(fs.readFileSync(ASSET))));
  const shapes = [[784], [28, 28], [28, 28, 1], [32, 32, 1]];
  const outputs = runLoadData(shapes.map((shape) => ({
    code: datasetSpec('mnist').python({ settings: settings({}), inputShape: shape, encoding: 'onehot', units: 10 }),
    inputShape: shape, seed: 1, argv: ['--mnist', ASSET], limit: 40 * 1024,
  })));

  test.each(shapes.map((s, i) => [JSON.stringify(s), i] as const))('Input %s', (_, i) => {
    const shape = shapes[i];
    const ds = shape[0] === 32 ? padMnist(browser) : browser;
    expect(outputs[i].shapes[0]).toEqual([8000, ...shape]);
    expect(outputs[i].shapes[2]).toEqual([2000, ...shape]);
    expectSame(outputs[i], ds, 'onehot', 10, 40 * 1024);
  });
});
