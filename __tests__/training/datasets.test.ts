/**
 * Data sets: the seeded generators, the TensorFlow Playground sets, the committed MNIST asset
 * and the image grouping rules.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { decodeMnist, gunzip, isGzip, loadMnist, MNIST_TRAIN_COUNT } from '@/lib/datasets/mnist';
import { classOf, groupByClass, isImagePath } from '@/lib/datasets/images';
import { playgroundSet, type PlaygroundId } from '@/graph-compiler/datasets';
import { mulberry32, permutation, withSeededMathRandom } from '@/lib/datasets/rng';

const PLAYGROUND_IDS: PlaygroundId[] = ['circle', 'xor', 'gaussian', 'spiral'];
const playgroundPoints = (id: PlaygroundId, o: { samples: number; noise: number; seed: number }) => playgroundSet(id).points(o);
const playgroundDataset = (id: PlaygroundId, o: { samples: number; noise: number; trainRatio: number; seed: number }) => playgroundSet(id).dataset(o);

const ASSET = path.join(__dirname, '..', '..', 'public', 'data', 'mnist-10k.bin.gz');

describe('seeded randomness', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('permutes 0..n-1', () => {
    const p = permutation(100, mulberry32(1));
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect([...p]).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('replaces Math.random only inside withSeededMathRandom', () => {
    const original = Math.random;
    const first = withSeededMathRandom(7, () => [Math.random(), Math.random()]);
    expect(withSeededMathRandom(7, () => [Math.random(), Math.random()])).toEqual(first);
    expect(Math.random).toBe(original);
    expect(() => withSeededMathRandom(7, () => {
      throw new Error('boom');
    })).toThrow('boom');
    expect(Math.random).toBe(original);
  });
});

describe('TensorFlow Playground sets', () => {
  const opts = { samples: 400, noise: 0, trainRatio: 0.5, seed: 42 };

  it.each(PLAYGROUND_IDS)('%s: two balanced classes, points within [-6, 6], deterministic per seed', (id) => {
    const points = playgroundPoints(id, opts);
    expect(points).toHaveLength(400);
    const ones = points.filter((p) => p.label === 1).length;
    expect(ones).toBeGreaterThan(120);
    expect(ones).toBeLessThan(280);
    for (const p of points) {
      expect(Math.abs(p.x)).toBeLessThanOrEqual(id === 'gaussian' ? 12 : 6);
      expect(Math.abs(p.y)).toBeLessThanOrEqual(id === 'gaussian' ? 12 : 6);
    }
    expect(playgroundPoints(id, opts)).toEqual(points);
    expect(playgroundPoints(id, { ...opts, seed: 43 })).not.toEqual(points);
  });

  it('labels follow the Playground rules without noise', () => {
    for (const p of playgroundPoints('circle', opts)) expect(p.label).toBe(Math.hypot(p.x, p.y) < 2.5 ? 1 : 0);
    for (const p of playgroundPoints('xor', opts)) expect(p.label).toBe(p.x * p.y >= 0 ? 1 : 0);
    for (const p of playgroundPoints('spiral', opts)) expect(Math.hypot(p.x, p.y)).toBeLessThanOrEqual(5);
  });

  it('noise moves points across the true boundary', () => {
    const noisy = playgroundPoints('xor', { ...opts, noise: 0.5 });
    expect(noisy.some((p) => p.label !== (p.x * p.y >= 0 ? 1 : 0))).toBe(true);
  });

  it('splits by the train ratio and scales coordinates by 1/6', () => {
    const ds = playgroundDataset('circle', { ...opts, trainRatio: 0.7 });
    expect(ds.train.n).toBe(280);
    expect(ds.test.n).toBe(120);
    expect(ds.featureShape).toEqual([2]);
    expect(ds.classNames).toEqual(['0', '1']);
    const points = playgroundPoints('circle', opts);
    expect(ds.train.x[0]).toBeCloseTo(points[0].x / 6, 6);
    expect(ds.test.y[0]).toBe(points[280].label);
    expect(Math.max(...ds.train.x.map(Math.abs))).toBeLessThanOrEqual(1);
  });
});

describe('MNIST asset', () => {
  const raw = zlib.gunzipSync(fs.readFileSync(ASSET));

  it('is a committed gzip file under 2 MB holding 10,000 digits', () => {
    const size = fs.statSync(ASSET).size;
    expect(size).toBeLessThan(2 * 1024 * 1024);
    expect(raw.length).toBe(20 + 10_000 + 10_000 * 784);
  });

  it('decodes into 8,000 training and 2,000 test digits, every class in both', () => {
    const ds = decodeMnist(new Uint8Array(raw));
    expect(ds.train.n).toBe(MNIST_TRAIN_COUNT);
    expect(ds.test.n).toBe(2000);
    expect(ds.featureShape).toEqual([28, 28, 1]);
    expect(ds.xScale).toBeCloseTo(1 / 255);
    expect(ds.train.x.length).toBe(8000 * 784);
    const counts = (y: Float32Array) => Array.from({ length: 10 }, (_, d) => y.filter((v) => v === d).length);
    const test = counts(ds.test.y);
    expect(test.reduce((a, b) => a + b, 0)).toBe(2000);
    for (const c of test) expect(c).toBeGreaterThan(150);
    for (const c of counts(ds.train.y)) expect(c).toBeGreaterThan(650);
    // A digit has ink: its brightest pixel is white and its corners are black.
    const first = ds.test.x.subarray(0, 784);
    expect(Math.max(...first)).toBeGreaterThan(200);
    expect(first[0]).toBe(0);
  });

  it('refuses bytes that are not the asset', () => {
    expect(() => decodeMnist(new Uint8Array(100))).toThrow(/bad magic/);
    expect(() => decodeMnist(new Uint8Array(raw.subarray(0, 5000)))).toThrow(/truncated/);
  });

  it('is gunzipped with the platform DecompressionStream, as in the browser', async () => {
    const gz = new Uint8Array(fs.readFileSync(ASSET));
    expect(isGzip(gz)).toBe(true);
    expect(isGzip(new Uint8Array(raw))).toBe(false);
    const out = await gunzip(gz);
    expect(out.length).toBe(raw.length);
    expect(Buffer.from(out.subarray(0, 4)).toString()).toBe('LBMN');
  });

  it('loads once through fetch and reports HTTP errors', async () => {
    const bytes = fs.readFileSync(ASSET);
    const fetchOk = jest.fn(async () => new Response(bytes));
    const a = await loadMnist('/data/x', fetchOk as unknown as typeof fetch);
    const b = await loadMnist('/data/x', fetchOk as unknown as typeof fetch);
    expect(a).toBe(b);
    expect(fetchOk).toHaveBeenCalledTimes(1);
  });
});

describe('image folders', () => {
  it('takes the class from the folder, else from the file name', () => {
    expect(classOf('pets/cat/001.jpg')).toBe('cat');
    expect(classOf('cat/001.jpg')).toBe('cat');
    expect(classOf('cat_01.png')).toBe('cat');
    expect(classOf('dog-2.png')).toBe('dog');
    expect(classOf('bird (3).png')).toBe('bird');
    expect(classOf('zebra.png')).toBe('zebra');
    expect(classOf('12.png')).toBe('12');
  });

  it('groups image files by class, in order, and leaves other files out', () => {
    const f = (p: string) => ({ file: new Blob([]), path: p });
    const { classes, skipped } = groupByClass([f('d/dog/2.png'), f('d/cat/1.png'), f('d/dog/1.png'), f('d/notes.txt'), f('d/cat/.DS_Store')]);
    expect([...classes.keys()]).toEqual(['cat', 'dog']);
    expect(classes.get('dog')!.map((e) => e.path)).toEqual(['d/dog/1.png', 'd/dog/2.png']);
    expect(skipped).toEqual(['d/notes.txt', 'd/cat/.DS_Store']);
    expect(isImagePath('a.JPEG')).toBe(true);
  });
});
