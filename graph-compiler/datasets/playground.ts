/**
 * TensorFlow Playground's 2-D classification sets (circle, XOR, Gaussian, spiral), generated
 * the way the Playground does (tensorflow/playground `src/dataset.ts`, Apache-2.0), but from a
 * seed, so that a shared graph trains on the same points. Coordinates lie in about [-6, 6];
 * the model sees them divided by 6, i.e. in about [-1, 1]. Class 1 is the Playground's blue
 * (+1) label and class 0 its orange (-1).
 */
import { mulberry32, normal, shuffleInPlace, uniform, type Random } from './rng';
import type { Dataset, DatasetId } from './types';

export type PlaygroundId = Extract<DatasetId, 'circle' | 'xor' | 'gaussian' | 'spiral'>;
export const PLAYGROUND_IDS: readonly PlaygroundId[] = ['circle', 'xor', 'gaussian', 'spiral'];

export function isPlaygroundId(id: string): id is PlaygroundId {
  return (PLAYGROUND_IDS as readonly string[]).includes(id);
}

export const PLAYGROUND_TITLES: Record<PlaygroundId, string> = {
  circle: 'Circle',
  xor: 'Exclusive or',
  gaussian: 'Two Gaussians',
  spiral: 'Spiral',
};

/** The Playground draws and predicts on [-6, 6] in both axes. */
export const PLAYGROUND_DOMAIN: [number, number] = [-6, 6];
export const POINT_SCALE = 6;

/** A point in the Playground's coordinates with its class (0 or 1). */
export interface Point {
  x: number;
  y: number;
  label: 0 | 1;
}

type Generator = (n: number, noise: number, rand: Random) => Point[];

const lab = (positive: boolean): 0 | 1 => (positive ? 1 : 0);

const circle: Generator = (n, noise, rand) => {
  const radius = 5;
  const points: Point[] = [];
  const ring = (rMin: number, rMax: number) => {
    for (let i = 0; i < n / 2; i++) {
      const r = uniform(rand, rMin, rMax);
      const angle = uniform(rand, 0, 2 * Math.PI);
      const x = r * Math.sin(angle);
      const y = r * Math.cos(angle);
      const nx = uniform(rand, -radius, radius) * noise;
      const ny = uniform(rand, -radius, radius) * noise;
      points.push({ x, y, label: lab(Math.hypot(x + nx, y + ny) < radius * 0.5) });
    }
  };
  ring(0, radius * 0.5);
  ring(radius * 0.7, radius);
  return points;
};

const xor: Generator = (n, noise, rand) => {
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

const gaussian: Generator = (n, noise, rand) => {
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

const spiral: Generator = (n, noise, rand) => {
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

const GENERATORS: Record<PlaygroundId, Generator> = { circle, xor, gaussian, spiral };

export interface PlaygroundOptions {
  samples: number;
  /** 0 to 1; the Playground's slider goes from 0 to 0.5. */
  noise: number;
  /** Fraction of the points used for training; the rest is the test split. */
  trainRatio: number;
  seed: number;
}

/** The points of a Playground set, shuffled, in the Playground's coordinates. */
export function playgroundPoints(id: PlaygroundId, opts: Pick<PlaygroundOptions, 'samples' | 'noise' | 'seed'>): Point[] {
  const rand = mulberry32(opts.seed);
  return shuffleInPlace(GENERATORS[id](opts.samples, opts.noise, rand), rand);
}

/** A Playground set as a data set: two features (x/6, y/6), two classes, train and test splits. */
export function playgroundDataset(id: PlaygroundId, opts: PlaygroundOptions): Dataset {
  const points = playgroundPoints(id, opts);
  const nTrain = Math.min(points.length - 1, Math.max(1, Math.round(points.length * opts.trainRatio)));
  const split = (from: number, to: number) => {
    const n = to - from;
    const x = new Float32Array(2 * n);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const p = points[from + i];
      x[2 * i] = p.x / POINT_SCALE;
      x[2 * i + 1] = p.y / POINT_SCALE;
      y[i] = p.label;
    }
    return { x, y, n };
  };
  return {
    id,
    title: PLAYGROUND_TITLES[id],
    task: 'classification',
    featureShape: [2],
    classNames: ['0', '1'],
    xScale: 1,
    train: split(0, nTrain),
    test: split(nTrain, points.length),
    kind: 'points',
    domain: PLAYGROUND_DOMAIN,
    pointScale: POINT_SCALE,
    source: `${points.length} points generated from seed ${opts.seed} with noise ${opts.noise}; ${nTrain} for training, ${points.length - nTrain} for test.`,
  };
}
