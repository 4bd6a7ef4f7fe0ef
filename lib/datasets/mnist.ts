/**
 * The browser's side of MNIST: fetching the asset and gunzipping it without blocking the page.
 * What the asset holds and how it is read is the data set's module
 * (`graph-compiler/datasets/mnist.ts`).
 */
import { decodeMnist, MNIST_URL } from '@/graph-compiler/datasets/mnist';
import type { Dataset } from '@/graph-compiler/datasets/types';

export { decodeMnist, MNIST_CLASSES, MNIST_SHAPE, MNIST_TRAIN_COUNT, MNIST_URL } from '@/graph-compiler/datasets/mnist';

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

const assets = new Map<string, Promise<Uint8Array>>();

/**
 * The bytes of a static asset, fetched once per page and gunzipped; later calls share them. A
 * server that already sent it gunzipped (Content-Encoding) is fine too: the bytes are checked,
 * not trusted. A failed fetch is forgotten, so the next call tries again.
 */
export function fetchAsset(url: string, fetchImpl: typeof fetch = fetch): Promise<Uint8Array> {
  let p = assets.get(url);
  if (!p) {
    p = (async () => {
      const res = await fetchImpl(url);
      if (!res.ok) throw new Error(`Could not load the data from ${url}: HTTP ${res.status}.`);
      const raw = new Uint8Array(await res.arrayBuffer());
      return isGzip(raw) ? gunzip(raw) : raw;
    })();
    assets.set(url, p);
    p.catch(() => assets.delete(url));
  }
  return p;
}

const decoded = new Map<string, Promise<Dataset>>();

/** The MNIST digits, as the data set's module reads the asset; decoded once per page. */
export function loadMnist(url = MNIST_URL, fetchImpl: typeof fetch = fetch): Promise<Dataset> {
  let p = decoded.get(url);
  if (!p) {
    p = fetchAsset(url, fetchImpl).then(decodeMnist);
    decoded.set(url, p);
    p.catch(() => decoded.delete(url));
  }
  return p;
}
