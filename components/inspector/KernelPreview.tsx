'use client';
/**
 * The kernel's effect on an image (test id `kernel-preview`): the input beside its convolution
 * with the grid's weights, redrawn as the grid is edited (the pure `convolve2d`, no tfjs: a
 * 128×128 image takes well under a millisecond per weight). The image is the built-in photo, an
 * MNIST digit (the asset is fetched only when that source is chosen) or an uploaded picture.
 * A 3×3 window shows weight sharing: where it sits on the input, the output pixel it makes and
 * the 9 products summed; it follows the pointer, the arrow keys, or slides by itself (Animate).
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { convolve2d, displayValue, fitWithin, grayFromRgba, windowSum, type GrayImage, type Kernel3 } from '@/graph-compiler/conv-kernels';
import { loadMnist } from '@/lib/datasets/mnist';
import { formatWeight } from './KernelGrid';
import './lessons.css';

/** The built-in photo: a procedurally drawn 128×128 grayscale scene (scripts/build-scene.py). */
export const SCENE_URL = '/images/scene-128.png';
/** Uploads are scaled down to this many pixels on their longer side. */
export const UPLOAD_MAX_SIDE = 256;
/** How often the animated window moves. */
const ANIMATE_MS = 60;

type Source = 'photo' | 'mnist' | 'upload';

/** Draws any image source onto a canvas no larger than `max` and reads it back as grayscale. */
function grayOf(img: CanvasImageSource & { width: number; height: number }, max: number): GrayImage {
  const { width, height } = fitWithin(img.width, img.height, max);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw images on a canvas.');
  ctx.drawImage(img, 0, 0, width, height);
  return grayFromRgba(ctx.getImageData(0, 0, width, height).data, width, height);
}

function loadScene(): Promise<GrayImage> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      try {
        resolve(grayOf(img, 128));
      } catch (err) {
        reject(err);
      }
    };
    img.onerror = () => reject(new Error('The built-in photo could not be loaded.'));
    img.src = SCENE_URL;
  });
}

/** The first test digit of class `d` (0–9), as a 28×28 image in [0, 1]. */
async function loadDigit(d: number): Promise<GrayImage> {
  const ds = await loadMnist();
  const [h, w] = ds.featureShape;
  let i = 0;
  while (i < ds.test.n - 1 && ds.test.y[i] !== d) i++;
  return { width: w, height: h, data: Float32Array.from(ds.test.x.subarray(i * h * w, (i + 1) * h * w), (v) => v * ds.xScale) };
}

async function loadUpload(file: File): Promise<GrayImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(`"${file.name}" is not an image this browser can read: choose a PNG, JPEG, GIF or WebP file.`);
  }
  try {
    return grayOf(bitmap, UPLOAD_MAX_SIDE);
  } finally {
    bitmap.close();
  }
}

function paint(canvas: HTMLCanvasElement | null, image: GrayImage, map: (v: number) => number): void {
  const ctx = canvas?.getContext('2d');
  if (!canvas || !ctx) return;
  canvas.width = image.width;
  canvas.height = image.height;
  const px = ctx.createImageData(image.width, image.height);
  for (let p = 0; p < image.data.length; p++) {
    const g = Math.round(255 * Math.max(0, Math.min(1, map(image.data[p]))));
    px.data.set([g, g, g, 255], 4 * p);
  }
  ctx.putImageData(px, 0, 0);
}

const fmt = (v: number) => formatWeight(v);

export interface ConvolutionViewProps {
  image: GrayImage;
  kernel: Kernel3;
}

/**
 * The input and its convolution side by side, with the window and its sum. The output pixel
 * the window makes is `data-sum` on the readout (the number shown, unrounded).
 */
export function ConvolutionView({ image, kernel }: ConvolutionViewProps) {
  const inRef = useRef<HTMLCanvasElement>(null);
  const outRef = useRef<HTMLCanvasElement>(null);
  const [at, setAt] = useState({ i: Math.floor(image.height / 2), j: Math.floor(image.width / 2) });
  const [animate, setAnimate] = useState(false);
  const output = useMemo(() => convolve2d(image, kernel, 'same'), [image, kernel]);
  const i = Math.min(at.i, image.height - 1);
  const j = Math.min(at.j, image.width - 1);
  const win = windowSum(image, kernel, i, j);

  useEffect(() => paint(inRef.current, image, (v) => v), [image]);
  useEffect(() => paint(outRef.current, output, displayValue), [output]);
  useEffect(() => {
    if (!animate) return;
    // Row by row, a few pixels at a time: the same weights visit every part of the image.
    const step = Math.max(1, Math.round(image.width / 28));
    const timer = setInterval(() => setAt(({ i: r, j: c }) => (c + step < image.width ? { i: r, j: c + step } : { i: (r + step) % image.height, j: 0 })), ANIMATE_MS);
    return () => clearInterval(timer);
  }, [animate, image]);

  const point = (e: MouseEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return;
    const c = Math.floor(((e.clientX - box.left) / box.width) * image.width);
    const r = Math.floor(((e.clientY - box.top) / box.height) * image.height);
    setAnimate(false);
    setAt({ i: Math.max(0, Math.min(image.height - 1, r)), j: Math.max(0, Math.min(image.width - 1, c)) });
  };
  const keys = (e: KeyboardEvent<HTMLDivElement>) => {
    const d = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[e.key];
    if (!d) return;
    e.preventDefault();
    setAnimate(false);
    setAt({ i: Math.max(0, Math.min(image.height - 1, i + d[0])), j: Math.max(0, Math.min(image.width - 1, j + d[1])) });
  };
  const pct = (v: number, n: number) => `${(100 * v) / n}%`;
  return (
    <>
      <div
        className="lb-preview__images"
        tabIndex={0}
        role="group"
        aria-label={`Window at row ${i + 1}, column ${j + 1}: move it with the arrow keys`}
        onKeyDown={keys}
      >
        <figure>
          <div className="lb-preview__wrap">
            <canvas ref={inRef} onMouseMove={point} data-testid="kernel-preview-input" aria-label={`The input image, ${image.width}×${image.height}`} role="img" />
            <div className="lb-preview__window" style={{ left: pct(j - 1, image.width), top: pct(i - 1, image.height), width: pct(3, image.width), height: pct(3, image.height) }} />
          </div>
          <figcaption>input {image.width}×{image.height}</figcaption>
        </figure>
        <figure>
          <div className="lb-preview__wrap">
            <canvas ref={outRef} onMouseMove={point} data-testid="kernel-preview-output" aria-label="The convolution of the image with the kernel" role="img" />
            <div className="lb-preview__window lb-preview__window--out" style={{ left: pct(j, image.width), top: pct(i, image.height), width: pct(1, image.width), height: pct(1, image.height) }} />
          </div>
          <figcaption>convolved, |y| clipped to [0, 1]</figcaption>
        </figure>
      </div>
      <div className="lb-preview__sum" data-testid="kernel-preview-sum" data-sum={win.sum} data-row={i} data-col={j} aria-live="polite">
        <table className="lb-preview__products">
          <caption>
            Output at row {i + 1}, column {j + 1}: weight × pixel, summed
          </caption>
          <tbody>
            {win.products.map((row, u) => (
              <tr key={u}>
                {row.map((_, v) => (
                  <td key={v}>
                    {fmt(kernel[u][v])}×{fmt(win.inputs[u][v])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <p className="lb-preview__readout">
          y = {fmt(win.sum)}
          <label className="lb-preview__animate">
            <input type="checkbox" checked={animate} onChange={(e) => setAnimate(e.target.checked)} /> Animate
          </label>
        </p>
      </div>
    </>
  );
}

/** The preview with its image source: the built-in photo, an MNIST digit, or an upload. */
export function KernelPreview({ kernel }: { kernel: Kernel3 }) {
  const [source, setSource] = useState<Source>('photo');
  const [digit, setDigit] = useState(3);
  // Each image shown has its own version, so that the window starts again at its centre.
  const [shown, setShown] = useState<{ image: GrayImage; version: number; from: string } | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<{ text: string; from: string } | null>(null);
  const wanted = source === 'photo' ? 'photo' : source === 'mnist' ? `mnist ${digit}` : null;

  const show = (load: Promise<GrayImage>, from: string) =>
    load.then(
      (image) => {
        setShown((s) => ({ image, version: (s?.version ?? 0) + 1, from }));
        setError(null);
      },
      // A bad file (or a failed fetch) keeps the image shown so far.
      (err: unknown) => setError({ text: err instanceof Error ? err.message : String(err), from }),
    ).finally(() => setPending((p) => (p === from ? null : p)));
  useEffect(() => {
    if (wanted) void show(wanted === 'photo' ? loadScene() : loadDigit(digit), wanted);
  }, [wanted]); // eslint-disable-line react-hooks/exhaustive-deps
  const busy = pending !== null || (wanted !== null && shown?.from !== wanted && error?.from !== wanted);

  return (
    <figure className="lb-preview" data-testid="kernel-preview" data-source={source} aria-busy={busy}>
      <div className="lb-preview__sources">
        <label>
          Image{' '}
          <select className="lb-select" value={source} onChange={(e) => setSource(e.target.value as Source)} aria-label="Preview image">
            <option value="photo">built-in photo</option>
            <option value="mnist">MNIST digit</option>
            <option value="upload">my image…</option>
          </select>
        </label>
        {source === 'mnist' && (
          <label>
            digit{' '}
            <select className="lb-select" value={digit} onChange={(e) => setDigit(Number(e.target.value))} aria-label="Which digit">
              {Array.from({ length: 10 }, (_, d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </label>
        )}
        {source === 'upload' && (
          <input
            type="file"
            accept="image/*"
            aria-label="Choose an image"
            data-testid="kernel-preview-file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              const from = `upload ${file.name}`;
              setPending(from);
              void show(loadUpload(file), from);
            }}
          />
        )}
        {busy && <span className="lb-muted">loading…</span>}
      </div>
      {error && (
        <p className="lb-kernel__error" role="alert">
          {error.text}
        </p>
      )}
      {shown ? <ConvolutionView key={shown.version} image={shown.image} kernel={kernel} /> : !error && <p className="lb-kernel__note">Loading the image…</p>}
    </figure>
  );
}
