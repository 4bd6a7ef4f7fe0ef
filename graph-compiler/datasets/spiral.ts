/** TensorFlow Playground's spiral: two interleaved arms. */
import { definePlaygroundSet, type Generator, type Point } from './playground';
import { uniform } from './rng';

const generate: Generator = (n, noise, rand) => {
  const points: Point[] = [];
  const half = n / 2;
  const arm = (deltaT: number, label: 0 | 1) => {
    for (let i = 0; i < half; i++) {
      const r = (i / half) * 5;
      const t = ((1.75 * i) / half) * 2 * Math.PI + deltaT;
      points.push({
        x: r * Math.sin(t) + uniform(rand, -1, 1) * noise,
        y: r * Math.cos(t) + uniform(rand, -1, 1) * noise,
        label,
      });
    }
  };
  arm(0, 1);
  arm(Math.PI, 0);
  return points;
};

const pyGenerator = `def _spiral(n, noise, rand):
    """Two arms of 1.75 turns, half a turn apart; noise jitters each point."""
    points = []
    half = n / 2

    def arm(delta_t, label):
        i = 0
        while i < half:
            r = (i / half) * 5
            t = ((1.75 * i) / half) * 2 * math.pi + delta_t
            x = r * math.sin(t) + _uniform(rand, -1, 1) * noise
            y = r * math.cos(t) + _uniform(rand, -1, 1) * noise
            points.append((x, y, label))
            i += 1

    arm(0, 1)
    arm(math.pi, 0)
    return points`;

export const spiral = definePlaygroundSet({
  id: 'spiral',
  title: 'Spiral',
  description: 'Two spiral arms wound into each other, one per class: the hardest of the Playground sets; it takes two hidden layers (or sin features).',
  generate,
  pyGenerator,
  // What the Spiral MLP template (two hidden layers of 64 relu units) learns the spiral with.
  suggested: { optimizer: 'adam', learningRate: 0.02, epochs: 40, batchSize: 64 },
});
