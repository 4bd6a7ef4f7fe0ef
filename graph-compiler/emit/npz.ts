/**
 * A numpy `.npz` file (an uncompressed zip of `.npy` arrays) written without numpy: the weights
 * the PyTorch script loads with `--weights`. `.npy` version 1.0: the magic, a little-endian
 * header length, a Python-literal header padded so the data starts at a multiple of 64 bytes,
 * then float32 values, little-endian, row-major.
 */
import { zipSync } from 'fflate';

/** One float32 array of a `.npz`, by its name (`conv1.weight`). */
export interface NpzArray {
  key: string;
  shape: number[];
  values: Float32Array;
}

/** The bytes of one `.npy` file. */
export function npyBytes(shape: readonly number[], values: Float32Array): Uint8Array {
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${dims}, }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header = `${header}${' '.repeat(pad % 64)}\n`;
  const out = new Uint8Array(10 + header.length + values.length * 4);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const base = 10 + header.length;
  for (let i = 0; i < values.length; i++) view.setFloat32(base + 4 * i, values[i], true);
  return out;
}

/** An uncompressed `.npz` holding `arrays` under their keys (`np.load(f)[key]`). */
export function toNpz(arrays: readonly NpzArray[]): Uint8Array {
  const files: Record<string, [Uint8Array, { level: 0 }]> = {};
  for (const a of arrays) files[`${a.key}.npy`] = [npyBytes(a.shape, a.values), { level: 0 }];
  return zipSync(files, { level: 0 });
}
