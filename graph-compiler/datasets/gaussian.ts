/** TensorFlow Playground's two Gaussians: two blobs, one per class. */
import { definePlaygroundSet, type Generator, type Point } from './playground';
import { normal } from './rng';

const generate: Generator = (n, noise, rand) => {
  // The Playground maps noise 0..0.5 linearly onto a variance of 0.5..4.
  const variance = 0.5 + (noise / 0.5) * 3.5;
  const std = Math.sqrt(variance);
  const points: Point[] = [];
  const blob = (cx: number, cy: number, label: 0 | 1) => {
    for (let i = 0; i < n / 2; i++) points.push({ x: normal(rand, cx, std), y: normal(rand, cy, std), label });
  };
  blob(2, 2, 1);
  blob(-2, -2, 0);
  return points;
};

const pyGenerator = `def _gaussian(n, noise, rand):
    """Two round blobs around (2, 2) and (-2, -2); noise 0..0.5 is a variance of 0.5..4."""
    std = math.sqrt(0.5 + (noise / 0.5) * 3.5)
    points = []

    def blob(cx, cy, label):
        i = 0
        while i < n / 2:
            x = _normal(rand, cx, std)
            y = _normal(rand, cy, std)
            points.append((x, y, label))
            i += 1

    blob(2, 2, 1)
    blob(-2, -2, 0)
    return points`;

export const gaussian = definePlaygroundSet({
  id: 'gaussian',
  title: 'Two Gaussians',
  description: 'Two clouds of points, one per class. A straight line separates them, so a single neuron (a perceptron) can learn it; noise makes the clouds overlap.',
  generate,
  pyGenerator,
  suggested: { optimizer: 'adam', learningRate: 0.05, epochs: 20, batchSize: 16 },
});
