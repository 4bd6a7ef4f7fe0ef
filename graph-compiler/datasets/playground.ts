/**
 * What TensorFlow Playground's 2-D classification sets (circle, XOR, Gaussian, spiral) share:
 * each module (`circle.ts`, ...) gives its point generator, written the way the Playground
 * writes it (tensorflow/playground `src/dataset.ts`, Apache-2.0) but drawing from a seed, and
 * the same generator in Python; this file turns either into a data set, in the browser and in
 * the exported script alike: shuffle with the same generator, split by the train ratio, divide
 * the coordinates by 6. Coordinates lie in about [-6, 6]; the model sees them in about [-1, 1].
 * Class 1 is the Playground's blue (+1) label and class 0 its orange (-1).
 */
import { mulberry32, shuffleInPlace, type Random } from './rng';
import { defineDataset, pyEncodeTargets, type DatasetSpec, type SuggestedSettings } from './spec';
import type { Dataset, DatasetId } from './types';

export type PlaygroundId = Extract<DatasetId, 'circle' | 'xor' | 'gaussian' | 'spiral'>;

/** The Playground draws and predicts on [-6, 6] in both axes. */
export const PLAYGROUND_DOMAIN: [number, number] = [-6, 6];
export const POINT_SCALE = 6;

/** A point in the Playground's coordinates with its class (0 or 1). */
export interface Point {
  x: number;
  y: number;
  label: 0 | 1;
}

/** `n` points (in generation order) drawn from `rand`, `noise` from 0 to 1. */
export type Generator = (n: number, noise: number, rand: Random) => Point[];

export const lab = (positive: boolean): 0 | 1 => (positive ? 1 : 0);

export interface PlaygroundOptions {
  samples: number;
  /** 0 to 1; the Playground's slider goes from 0 to 0.5. */
  noise: number;
  /** Fraction of the points used for training; the rest is the test split. */
  trainRatio: number;
  seed: number;
}

/** A 2-D set's module: the generator and its Python twin. */
export interface PlaygroundSpec extends DatasetSpec {
  id: PlaygroundId;
  generate: Generator;
  /** The points, shuffled, in the Playground's coordinates. */
  points(opts: Pick<PlaygroundOptions, 'samples' | 'noise' | 'seed'>): Point[];
  /** The data set the browser trains on. */
  dataset(opts: PlaygroundOptions): Dataset;
}

/** The training-split size for `n` points: at least one point on either side. */
export function playgroundTrainCount(n: number, trainRatio: number): number {
  return Math.min(n - 1, Math.max(1, Math.round(n * trainRatio)));
}

function toDataset(id: PlaygroundId, title: string, points: Point[], opts: PlaygroundOptions): Dataset {
  const nTrain = playgroundTrainCount(points.length, opts.trainRatio);
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
    title,
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

/**
 * Python for the shared part: `points` from the generator `_<id>(n, noise, rand)`, shuffled
 * with the same generator, split, scaled. Labels come out as class indices (int64).
 */
function pyLoadData(id: PlaygroundId, pyGenerator: string, opts: PlaygroundOptions, encode: string): string {
  return `${pyGenerator}


def load_data():
    """TensorFlow Playground's "${id}" set, the points the browser trains on: ${opts.samples} points, noise ${opts.noise}, train ratio ${opts.trainRatio}, seed SETTINGS["seed"]."""
    rand = _Mulberry32(SETTINGS["seed"])
    points = _shuffle(_${id}(${opts.samples}, ${opts.noise}, rand), rand)
    n_train = min(len(points) - 1, max(1, _js_round(len(points) * ${opts.trainRatio})))
    x = (np.array([(px, py) for px, py, _ in points], dtype="float64") / ${POINT_SCALE}).astype("float32")
    x = x.reshape((-1,) + INPUT_SHAPE)
    y = np.array([label for _, _, label in points], dtype="int64")
    x_train, y_train, x_test, y_test = x[:n_train], y[:n_train], x[n_train:], y[n_train:]${encode}
    return (x_train, y_train), (x_test, y_test)`;
}

/** Declares one of the 2-D sets from its generator and the generator's Python form. */
export function definePlaygroundSet(o: { id: PlaygroundId; title: string; description: string; generate: Generator; pyGenerator: string; suggested?: SuggestedSettings }): PlaygroundSpec {
  const points = (opts: Pick<PlaygroundOptions, 'samples' | 'noise' | 'seed'>) => {
    const rand = mulberry32(opts.seed);
    return shuffleInPlace(o.generate(opts.samples, opts.noise, rand), rand);
  };
  const dataset = (opts: PlaygroundOptions) => toDataset(o.id, o.title, points(opts), opts);
  const base = defineDataset({
    id: o.id,
    title: o.title,
    group: 'points',
    description: o.description,
    task: () => 'classification',
    fields: ['noise', 'trainRatio', 'samples'],
    suggested: o.suggested,
    info: () => ({ info: { id: o.id, title: `the ${o.title.toLowerCase()} points`, task: 'classification', featureShape: [2], classNames: ['0', '1'] }, error: null }),
    trainCount: (s) => playgroundTrainCount(s.samples, s.trainRatio),
    load: async ({ settings }) => dataset(settings),
    python: ({ settings, encoding, units }) => pyLoadData(o.id, o.pyGenerator, settings, pyEncodeTargets(encoding, units)),
  });
  return { ...base, id: o.id, generate: o.generate, points, dataset };
}
