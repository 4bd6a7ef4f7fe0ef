/**
 * What a failed run says: tfjs's own text turned into words a student can act on, naming the
 * layer at fault where one is. Any error not recognised keeps its message.
 */
import type * as tfjs from '@tensorflow/tfjs';

const TEXTURE = /Requested texture size \[(\d+)\s*x\s*(\d+)\] greater than WebGL maximum on this browser \/ GPU \[(\d+)\s*x\s*(\d+)\]/i;

const count = (shape: readonly (number | null)[]) => shape.reduce<number>((a, d) => a * (d ?? 1), 1);

/** The layer holding the largest tensor (a weight, or its output for one example), with that tensor's size. */
export function largestLayer(model: tfjs.LayersModel): { name: string; className: string; values: number } | null {
  let best: { name: string; className: string; values: number } | null = null;
  for (const layer of model.layers) {
    const shapes: (number | null)[][] = layer.weights.map((w) => w.shape);
    const out = layer.outputShape;
    if (Array.isArray(out) && out.every((d) => d === null || typeof d === 'number')) shapes.push(out as (number | null)[]);
    for (const s of shapes) {
      const values = count(s);
      if (!best || values > best.values) best = { name: layer.name, className: layer.getClassName(), values };
    }
  }
  return best;
}

/**
 * The message of a run that threw. A tensor too large for WebGL's textures ("Requested texture
 * size [8854x8855] greater than WebGL maximum…") names the largest layer and what to do.
 */
export function trainingErrorMessage(err: unknown, model: tfjs.LayersModel | null): string {
  const text = err instanceof Error ? err.message : String(err);
  const m = TEXTURE.exec(text);
  if (!m) return text;
  const big = model ? largestLayer(model) : null;
  const where = big
    ? `Layer "${big.name}" (${big.className}) holds a tensor of ${big.values.toLocaleString('en-US')} values`
    : 'A tensor of this model';
  return `${where}, too large for this browser's graphics card: WebGL needed a ${m[1]} × ${m[2]} texture and this GPU allows at most ${m[3]} × ${m[4]}. `
    + 'Make that layer smaller (fewer units or filters, or a smaller input), or switch the Backend to CPU.';
}
