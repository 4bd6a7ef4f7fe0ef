/** A drawn digit, prepared like MNIST: fitted into 20×20, centred by mass in 28×28. */
import { mnistFromDrawing } from '@/lib/training/digit';

function drawing(size: number, rect: { x0: number; y0: number; x1: number; y1: number }): Float32Array {
  const ink = new Float32Array(size * size);
  for (let y = rect.y0; y <= rect.y1; y++) for (let x = rect.x0; x <= rect.x1; x++) ink[y * size + x] = 1;
  return ink;
}

function stats(img: Float32Array) {
  let mass = 0;
  let cx = 0;
  let cy = 0;
  let x0 = 28;
  let x1 = -1;
  let y0 = 28;
  let y1 = -1;
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const v = img[y * 28 + x];
      if (v <= 0) continue;
      mass += v;
      cx += v * x;
      cy += v * y;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  return { cx: cx / mass, cy: cy / mass, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

describe('mnistFromDrawing', () => {
  it('returns null for an empty pad', () => {
    expect(mnistFromDrawing(new Float32Array(100 * 100), 100)).toBeNull();
  });

  it('scales the longest side to 20 pixels, keeps the aspect ratio and centres the mass', () => {
    // A tall bar drawn in a corner of a 168-pixel pad.
    const out = mnistFromDrawing(drawing(168, { x0: 10, y0: 4, x1: 39, y1: 123 }), 168)!;
    const s = stats(out);
    expect(s.h).toBe(20);
    expect(s.w).toBe(5);
    expect(Math.abs(s.cx - 13.5)).toBeLessThanOrEqual(1);
    expect(Math.abs(s.cy - 13.5)).toBeLessThanOrEqual(1);
    expect(Math.max(...out)).toBeLessThanOrEqual(1);
  });
});
