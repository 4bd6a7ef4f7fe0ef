/**
 * Turns a hand-drawn digit into an MNIST-like input: MNIST digits were scaled to fit a 20×20
 * box (keeping their aspect ratio) and placed in a 28×28 image so that their centre of mass
 * is the centre. A drawing treated the same way is recognised far better than a plain resize.
 */

/**
 * `ink` is a `size`×`size` greyscale drawing in [0, 1] (1 = ink). Returns 28×28 values in
 * [0, 1], or null when nothing is drawn.
 */
export function mnistFromDrawing(ink: Float32Array, size: number): Float32Array | null {
  let x0 = size;
  let y0 = size;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (ink[y * size + x] > 0.05) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) return null;
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const scale = 20 / Math.max(bw, bh);
  const tw = Math.max(1, Math.round(bw * scale));
  const th = Math.max(1, Math.round(bh * scale));
  const box = new Float32Array(tw * th);
  // Area average: each target pixel takes the mean of the source pixels it covers.
  for (let ty = 0; ty < th; ty++) {
    const sy0 = y0 + (ty * bh) / th;
    const sy1 = y0 + ((ty + 1) * bh) / th;
    for (let tx = 0; tx < tw; tx++) {
      const sx0 = x0 + (tx * bw) / tw;
      const sx1 = x0 + ((tx + 1) * bw) / tw;
      let sum = 0;
      let area = 0;
      for (let sy = Math.floor(sy0); sy < Math.ceil(sy1); sy++) {
        const wy = Math.min(sy + 1, sy1) - Math.max(sy, sy0);
        for (let sx = Math.floor(sx0); sx < Math.ceil(sx1); sx++) {
          const wx = Math.min(sx + 1, sx1) - Math.max(sx, sx0);
          sum += ink[sy * size + sx] * wx * wy;
          area += wx * wy;
        }
      }
      box[ty * tw + tx] = area > 0 ? sum / area : 0;
    }
  }
  let mass = 0;
  let cx = 0;
  let cy = 0;
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const v = box[y * tw + x];
      mass += v;
      cx += v * x;
      cy += v * y;
    }
  }
  cx = mass > 0 ? cx / mass : tw / 2;
  cy = mass > 0 ? cy / mass : th / 2;
  const ox = Math.min(28 - tw, Math.max(0, Math.round(14 - cx - 0.5)));
  const oy = Math.min(28 - th, Math.max(0, Math.round(14 - cy - 0.5)));
  const out = new Float32Array(28 * 28);
  for (let y = 0; y < th; y++) for (let x = 0; x < tw; x++) out[(oy + y) * 28 + ox + x] = Math.min(1, box[y * tw + x]);
  return out;
}
