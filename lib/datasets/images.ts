/**
 * Images upload, the browser's side: decoding on a canvas. Every image is centre-cropped to
 * the Input's aspect ratio and resized to its shape `[height, width, channels]`: 1 channel is
 * greyscale, 3 is RGB. 20% of each class, chosen with the seed, is the test split. Which files
 * are images and their classes is pure (`graph-compiler/datasets/image-files.ts`).
 */
import { DataError } from '@/graph-compiler/datasets/errors';
import { groupByClass } from '@/graph-compiler/datasets/image-files';
import { mulberry32, shuffleInPlace } from '@/graph-compiler/datasets/rng';
import type { Dataset } from '@/graph-compiler/datasets/types';

export { classOf, groupByClass, isImagePath } from '@/graph-compiler/datasets/image-files';

/** A file and the path it was picked with (`webkitRelativePath` for a folder, else its name). */
export interface ImageEntry {
  file: Blob;
  path: string;
}

export const IMAGE_TEST_FRACTION = 0.2;

type Canvas2D = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

function drawingContext(width: number, height: number): Canvas2D {
  if (typeof OffscreenCanvas !== 'undefined') {
    const ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
    if (ctx) return ctx;
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('This browser cannot draw images on a canvas.');
  return ctx;
}

/** Decodes one image into `out` (h·w·c bytes): centre crop to the target's aspect, then resize. */
async function decodeInto(entry: ImageEntry, ctx: Canvas2D, shape: number[], out: Uint8Array): Promise<void> {
  const [h, w, c] = shape;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(entry.file);
  } catch {
    throw new DataError(`"${entry.path}" could not be read as an image.`);
  }
  const scale = Math.min(bitmap.width / w, bitmap.height / h);
  const sw = w * scale;
  const sh = h * scale;
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  ctx.drawImage(bitmap, (bitmap.width - sw) / 2, (bitmap.height - sh) / 2, sw, sh, 0, 0, w, h);
  bitmap.close();
  const rgba = ctx.getImageData(0, 0, w, h).data;
  for (let p = 0; p < w * h; p++) {
    const r = rgba[4 * p];
    const g = rgba[4 * p + 1];
    const b = rgba[4 * p + 2];
    if (c === 1) out[p] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    else {
      out[3 * p] = r;
      out[3 * p + 1] = g;
      out[3 * p + 2] = b;
    }
  }
}

/**
 * Reads uploaded images into a data set shaped like the graph's Input. `shape` must be
 * `[height, width, 1 or 3]`; `onProgress` hears after every decoded image.
 */
export async function imagesDataset(
  entries: ImageEntry[],
  shape: number[],
  opts: { seed: number; onProgress?: (done: number, total: number) => void },
): Promise<Dataset> {
  if (shape.length !== 3 || (shape[2] !== 1 && shape[2] !== 3)) {
    throw new DataError(`Images need an Input shaped [height, width, 1] (greyscale) or [height, width, 3] (colour); this graph's Input is [${shape.join(', ')}].`);
  }
  const { classes, skipped } = groupByClass(entries);
  const total = [...classes.values()].reduce((a, l) => a + l.length, 0);
  if (total === 0) {
    throw new DataError(skipped.length ? `None of the ${skipped.length} files is an image (png, jpg, gif, webp, bmp).` : 'No files were chosen.');
  }
  if (classes.size < 2) {
    throw new DataError(`All ${total} images fall in one class ("${[...classes.keys()][0]}"). Put each class in its own folder (cat/…, dog/…) and choose the parent folder.`);
  }
  const classNames = [...classes.keys()];
  const rand = mulberry32(opts.seed);
  const trainList: [ImageEntry, number][] = [];
  const testList: [ImageEntry, number][] = [];
  classNames.forEach((name, k) => {
    const list = shuffleInPlace([...classes.get(name)!], rand);
    const nTest = list.length >= 2 ? Math.max(1, Math.round(list.length * IMAGE_TEST_FRACTION)) : 0;
    list.forEach((e, i) => (i < nTest ? testList : trainList).push([e, k]));
  });
  shuffleInPlace(trainList, rand);
  shuffleInPlace(testList, rand);

  const per = shape[0] * shape[1] * shape[2];
  const ctx = drawingContext(shape[1], shape[0]);
  let done = 0;
  const read = async (list: [ImageEntry, number][]) => {
    const x = new Uint8Array(list.length * per);
    const y = new Float32Array(list.length);
    for (let i = 0; i < list.length; i++) {
      await decodeInto(list[i][0], ctx, shape, x.subarray(i * per, (i + 1) * per));
      y[i] = list[i][1];
      opts.onProgress?.(++done, total);
    }
    return { x, y, n: list.length };
  };
  const train = await read(trainList);
  const test = await read(testList);
  if (test.n === 0) throw new DataError('Every class has a single image, so none is left to test on; add at least two images per class.');
  return {
    id: 'images',
    title: 'Images',
    task: 'classification',
    featureShape: shape,
    classNames,
    xScale: 1 / 255,
    train,
    test,
    kind: 'image',
    source: `${total} images in ${classNames.length} classes (${classNames.slice(0, 6).join(', ')}${classNames.length > 6 ? ', …' : ''}), resized to ${shape[0]}×${shape[1]}${shape[2] === 1 ? ' greyscale' : ' colour'}; ${train.n} for training, ${test.n} for test${skipped.length ? `; ${skipped.length} non-image file${skipped.length === 1 ? '' : 's'} left out` : ''}.`,
  };
}
