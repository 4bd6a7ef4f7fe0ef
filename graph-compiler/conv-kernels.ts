/**
 * Fixed convolution kernels, the course's image filters: identity, the three edge detectors
 * (horizontal, vertical, and the Laplacian-style one that finds edges in every direction),
 * sharpen and box blur. A Conv2D with a `kernelPreset` other than `none` holds one of these (or
 * its own `kernel`, for `custom`) as frozen weights: not trainable, bias 0.
 *
 * How a preset applies: the kernel is 3×3 and the layer has one filter; with several input
 * channels the same kernel is applied to each channel and the results are summed (an RGB image
 * is filtered as the sum of its channels). A preset with filters > 1 or another kernel size is
 * refused with a message (`kernel-preset`), since several identical frozen filters would repeat
 * one feature map.
 *
 * `convolve2d` is the convolution the preview shows, a pure function: like tfjs's conv2d (and
 * Keras's) it is a cross-correlation (the kernel is not flipped), stride 1, zero padding.
 */

export const KERNEL_PRESETS = ['none', 'identity', 'edgeHorizontal', 'edgeVertical', 'edgeAll', 'sharpen', 'boxBlur', 'custom'] as const;
export type KernelPreset = (typeof KERNEL_PRESETS)[number];

/** A 3×3 kernel, rows top to bottom. */
export type Kernel3 = number[][];

const NINTH = 1 / 9;

/** The kernels of the named presets. */
export const PRESET_KERNELS: Readonly<Record<Exclude<KernelPreset, 'none' | 'custom'>, Kernel3>> = {
  identity: [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
  edgeHorizontal: [[-1, -1, -1], [0, 0, 0], [1, 1, 1]],
  edgeVertical: [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]],
  edgeAll: [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
  sharpen: [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
  boxBlur: [[NINTH, NINTH, NINTH], [NINTH, NINTH, NINTH], [NINTH, NINTH, NINTH]],
};

/** Words for the preset choice. */
export const PRESET_LABELS: Readonly<Record<KernelPreset, string>> = {
  none: 'none (learned)',
  identity: 'identity',
  edgeHorizontal: 'edges: horizontal',
  edgeVertical: 'edges: vertical',
  edgeAll: 'edges: all directions',
  sharpen: 'sharpen',
  boxBlur: 'box blur',
  custom: 'custom (the grid)',
};

/** What each preset does to an image, in a sentence. */
export const PRESET_EFFECTS: Readonly<Record<KernelPreset, string>> = {
  none: 'The kernel is learned in training.',
  identity: 'Passes the image through unchanged: only the centre weight is 1.',
  edgeHorizontal: 'Responds where brightness changes from top to bottom (horizontal edges); flat areas give 0.',
  edgeVertical: 'Responds where brightness changes from left to right (vertical edges); flat areas give 0.',
  edgeAll: 'The centre against its 8 neighbours: edges in every direction light up, flat areas give 0 (the weights sum to 0).',
  sharpen: 'The centre pushed away from its 4 neighbours: edges get crisper, flat areas stay (the weights sum to 1).',
  boxBlur: 'Each pixel becomes the mean of its 3×3 window: the image gets softer.',
  custom: 'Your own 9 weights, frozen like a preset.',
};

/** The 3×3 an identity custom kernel starts from. */
export const DEFAULT_CUSTOM_KERNEL: Kernel3 = PRESET_KERNELS.identity.map((r) => [...r]);

/** The kernel a preset fixes (`custom` takes `kernel`), or null for `none` (learned). */
export function presetKernel(preset: KernelPreset, custom?: Kernel3): Kernel3 | null {
  if (preset === 'none') return null;
  if (preset === 'custom') return custom ?? DEFAULT_CUSTOM_KERNEL;
  return PRESET_KERNELS[preset];
}

/** A grayscale image, row-major, values typically in [0, 1]. */
export interface GrayImage {
  width: number;
  height: number;
  data: Float32Array;
}

/**
 * Slides the 3×3 (or any k×k) `kernel` over `image`, stride 1: out(i, j) = Σ kernel(u, v) ·
 * in(i + u − p, j + v − p), zero outside the image, with p = ⌊k/2⌋ for `same` (output as large
 * as the input) and 0 for `valid` (k − 1 smaller).
 *
 * @example
 * convolve2d({ width: 3, height: 3, data }, PRESET_KERNELS.identity, 'valid'); // the centre pixel
 */
export function convolve2d(image: GrayImage, kernel: Kernel3, padding: 'same' | 'valid' = 'same'): GrayImage {
  const kh = kernel.length;
  const kw = kernel[0].length;
  const top = padding === 'same' ? Math.floor((kh - 1) / 2) : 0;
  const left = padding === 'same' ? Math.floor((kw - 1) / 2) : 0;
  const height = padding === 'same' ? image.height : image.height - kh + 1;
  const width = padding === 'same' ? image.width : image.width - kw + 1;
  const data = new Float32Array(Math.max(0, width) * Math.max(0, height));
  for (let i = 0; i < height; i++) {
    for (let j = 0; j < width; j++) {
      let s = 0;
      for (let u = 0; u < kh; u++) {
        const y = i + u - top;
        if (y < 0 || y >= image.height) continue;
        for (let v = 0; v < kw; v++) {
          const x = j + v - left;
          if (x >= 0 && x < image.width) s += kernel[u][v] * image.data[y * image.width + x];
        }
      }
      data[i * width + j] = s;
    }
  }
  return { width: Math.max(0, width), height: Math.max(0, height), data };
}

/**
 * A preset's weights in tfjs's Conv2D layout: the kernel [3, 3, channels, 1] (the same 3×3 on
 * every input channel) and a zero bias when the layer has one.
 */
export function presetWeights(kernel: Kernel3, channels: number, useBias: boolean): { kernel: { shape: number[]; values: Float32Array }; bias?: { shape: number[]; values: Float32Array } } {
  const values = new Float32Array(9 * channels);
  for (let u = 0; u < 3; u++) for (let v = 0; v < 3; v++) for (let c = 0; c < channels; c++) values[(u * 3 + v) * channels + c] = kernel[u][v];
  return { kernel: { shape: [3, 3, channels, 1], values }, ...(useBias ? { bias: { shape: [1], values: new Float32Array(1) } } : {}) };
}

/**
 * How the preview shows a convolution's output: |y| clipped to [0, 1], the same for every
 * kernel, so that an edge detector's strong responses (of either sign) are bright, flat areas
 * black, and the identity shows the image unchanged.
 */
export function displayValue(y: number): number {
  return Math.min(1, Math.abs(y));
}

/** One output pixel of `convolve2d(image, kernel, 'same')` worked out: the window, its products and their sum. */
export interface WindowSum {
  /** The 3×3 input values under the kernel (0 outside the image). */
  inputs: Kernel3;
  /** kernel(u, v) · input(u, v). */
  products: Kernel3;
  /** The output pixel: the sum of the products. */
  sum: number;
}

/** The products that make output pixel (row `i`, column `j`) of a `same` convolution. */
export function windowSum(image: GrayImage, kernel: Kernel3, i: number, j: number): WindowSum {
  const inputs = kernel.map((row, u) => row.map((_, v) => {
    const y = i + u - Math.floor((kernel.length - 1) / 2);
    const x = j + v - Math.floor((row.length - 1) / 2);
    return y >= 0 && y < image.height && x >= 0 && x < image.width ? image.data[y * image.width + x] : 0;
  }));
  const products = kernel.map((row, u) => row.map((w, v) => w * inputs[u][v]));
  return { inputs, products, sum: products.flat().reduce((a, b) => a + b, 0) };
}

/** Grayscale (ITU-R BT.601 luma, in [0, 1]) of RGBA pixels as a canvas's getImageData holds them. */
export function grayFromRgba(rgba: ArrayLike<number>, width: number, height: number): GrayImage {
  const data = new Float32Array(width * height);
  for (let p = 0; p < data.length; p++) data[p] = (0.299 * rgba[4 * p] + 0.587 * rgba[4 * p + 1] + 0.114 * rgba[4 * p + 2]) / 255;
  return { width, height, data };
}

/** The size an image is drawn at so that neither side exceeds `max` (never enlarged). */
export function fitWithin(width: number, height: number, max: number): { width: number; height: number } {
  const s = Math.min(1, max / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * s)), height: Math.max(1, Math.round(height * s)) };
}
