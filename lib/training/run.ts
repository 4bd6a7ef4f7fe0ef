/**
 * The run controller: trains a compiled graph on a data set, one batch at a time, so that it
 * can pause, resume and stop between batches and let the page paint. It reports every batch
 * and every epoch, stops early on a plateau (and restores the best weights itself, which
 * tfjs's earlyStopping callback cannot), stops on a NaN or infinite loss, and leaks no tensor:
 * tf.memory().numTensors is reported at every epoch end and stays flat.
 *
 * tfjs is passed in, so the same controller runs in the browser (webgl) and in jest (cpu).
 */
import type * as tfjs from '@tensorflow/tfjs';
import { toTfjsModel, type CompileResult, type TF, type TrainingSettings } from '@/graph-compiler';
import { mulberry32, shuffleInPlace, withSeededMathRandom } from '@/lib/datasets/rng';
import { exampleSize, type Dataset, type Split } from '@/lib/datasets/types';
import type { RunPlan } from './check';
import { RemainingTime } from './eta';
import { trainingErrorMessage } from './errors';
import { targetWidth, type TargetEncoding } from './loss';
import { EVAL_CHUNK } from './memory';
import { makeOptimizer } from './optimizer';
import { BatchSource, evaluateResident, makeTrainStep, type StepOutput } from './step';
import {
  notSeparatedMessage, perceptronEpoch, perceptronErrors, separatedMessage,
  type PerceptronUpdate, type PerceptronWeights, type TrainingRule,
} from './perceptron';
import { denseChain, weightsFit, type DenseChain, type LayerWeights } from './neurons';
import { readChainWeights, writeChainWeights } from './neuron-weights';
import { HEALTH_BATCH, HealthProbe, healthWarnings, type HealthReport, type HealthStats } from './health';

export type RunState = 'idle' | 'running' | 'paused' | 'stopping' | 'finished';
/** `not-separable`: the perceptron rule made no pass without a mistake within its epochs. */
export type EndReason = 'completed' | 'early-stopped' | 'stopped' | 'nan' | 'diverged' | 'error' | 'not-separable';

export interface BatchLog {
  /** 1-based. */
  epoch: number;
  /** 1-based, within the epoch. */
  batch: number;
  batchesPerEpoch: number;
  epochs: number;
  /** 1-based count of batches since the run started. */
  step: number;
  loss: number;
  acc?: number;
  /** Exponential moving average of the batch losses (bias-corrected), for the live curve. */
  smoothLoss: number;
  smoothAcc?: number;
  examplesPerSecond: number;
  /** Training time so far, pauses excluded. */
  elapsedMs: number;
  /** Estimated time left, validation included. */
  etaMs: number;
}

export interface EpochLog {
  epoch: number;
  loss: number;
  acc?: number;
  valLoss?: number;
  valAcc?: number;
  /**
   * The training set's loss and accuracy at the epoch's end, in inference mode (no dropout, no
   * L1/L2 penalty) as the validation set is measured; `loss` is the running mean of the batches
   * while training, with both. Present for runs with validation data and at most
   * `trainEvalMax` training examples on the backend.
   */
  trainEvalLoss?: number;
  trainEvalAcc?: number;
  ms: number;
  /** tf.memory().numTensors at the end of the epoch: flat from epoch to epoch, or a leak. */
  numTensors: number;
  numBytes: number;
  /** Whether the monitored metric improved (early stopping only). */
  improved?: boolean;
}

/** The figure early stopping watches, in words: the same in the end message and on the card. */
export const MONITOR_TITLES: Record<TrainingSettings['earlyStopping']['monitor'], string> = {
  val_loss: 'validation loss',
  val_acc: 'validation accuracy',
  loss: 'training loss',
  acc: 'training accuracy',
};

/** A monitored value as the panel writes it: accuracies in per cent, losses to four places. */
export function formatMonitored(monitor: TrainingSettings['earlyStopping']['monitor'], value: number): string {
  return monitor.endsWith('acc') ? `${(value * 100).toFixed(1)}%` : value.toFixed(4);
}

/** The best value of the monitored figure and its epoch (early stopping only). */
export interface MonitoredBest {
  monitor: TrainingSettings['earlyStopping']['monitor'];
  title: string;
  value: number;
  epoch: number;
}

export interface RunEnd {
  reason: EndReason;
  /** One or two sentences for the status line. */
  message: string;
  epochsDone: number;
  bestEpoch?: number;
  /** What early stopping watched and its best value; absent without early stopping. */
  best?: MonitoredBest;
  restoredBest: boolean;
  history: EpochLog[];
  elapsedMs: number;
  examplesPerSecond: number;
}

export interface Evaluation {
  n: number;
  loss: number;
  /** Classification only, 0 to 1. */
  accuracy?: number;
  /** Regression only, in the target's own units. */
  mae?: number;
  /** Predicted class per example, or the predicted value (own units) for regression. */
  predicted: Float32Array;
  /** Classification: n × classes probabilities. */
  probs?: Float32Array;
  /** Classification: confusion[true][predicted] counts. */
  confusion?: number[][];
}

export interface RunListener {
  onBatch?(log: BatchLog): void;
  onEpoch?(log: EpochLog): void;
  onState?(state: RunState): void;
  /** 2-D data: P(class 1) on a grid×grid lattice over the data's domain, row 0 at the top. */
  onBoundary?(probs: Float32Array, grid: number): void;
  /** The perceptron rule: each update of w and b, as it is made. */
  onPerceptron?(update: PerceptronUpdate): void;
  /** A small dense chain's weights per Dense node, at epoch ends, at most about 4 a second (the neuron view). */
  onWeights?(weights: LayerWeights[]): void;
  /** Training health (dead units, saturation, gradient norms and their warnings) at epoch ends, at most about 5 a second. */
  onHealth?(report: HealthReport): void;
}

export interface RunOptions {
  tf: TF;
  result: CompileResult;
  settings: TrainingSettings;
  dataset: Dataset;
  plan: Pick<RunPlan, 'loss' | 'encoding' | 'inputShape' | 'output' | 'task'> & { rule?: TrainingRule };
  listener?: RunListener;
  /** Resolution of the decision-boundary lattice for 2-D points; 0 turns it off. */
  boundaryGrid?: number;
  /** Least time between two boundary updates. */
  boundaryEveryMs?: number;
  /** Builds the model instead of the compiler, e.g. the benchmark's hand-written baseline. */
  buildModel?: (tf: TF) => tfjs.LayersModel;
  /** Polled between batches; a message ends the run as an error (e.g. a lost WebGL context). */
  abortReason?: () => string | null;
  /**
   * Settles with a message when the run must end at once, even in the middle of a batch: a
   * lost WebGL context never completes the read-back of the batch in flight.
   */
  abortOn?: Promise<string>;
  /**
   * The perceptron rule: how long each of the first `PACED_UPDATES` updates stays on screen
   * before the next, so that a person sees the point, the change and the line move (0: none).
   */
  perceptronPaceMs?: number;
  /** Largest training set also evaluated in inference mode at each epoch end (TRAIN_EVAL_MAX by default). */
  trainEvalMax?: number;
  /**
   * A small dense chain's weights to start from instead of those the seed draws: the neuron
   * view's, set by hand before the run. Ignored unless they fit the chain, layer for layer.
   */
  startWeights?: readonly LayerWeights[];
}

/**
 * Training sets up to this many examples (and on the backend) are evaluated again at each epoch
 * end, for a gap that compares like with like: one forward pass over them, read back with the
 * validation figures. The Overfitting lab's 60 examples add 2.7 ms an epoch on the CPU in Node.
 */
export const TRAIN_EVAL_MAX = 5000;

/** A loss and, for classification, an accuracy. */
type Measured = { loss: number; acc?: number };

/** About how often the curves are read back from the backend while training (see start()). */
const SYNC_MS = 100;
/** Longest stretch of batches without letting pause and stop messages in. */
const YIELD_MS = 16;

/** Updates of the perceptron rule shown one by one (paced) before the rule runs at full speed. */
export const PACED_UPDATES = 30;

const IN_NODE = typeof process !== 'undefined' && !!process.versions?.node;

/**
 * Lets the event loop run between batches: the page handles input and paints, a worker reads
 * pause and stop messages. A MessageChannel task has no 4 ms clamp, unlike a nested setTimeout.
 */
export function yieldToEventLoop(): Promise<void> {
  if (!IN_NODE && typeof MessageChannel !== 'undefined') {
    return new Promise((resolve) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        ch.port1.close();
        resolve();
      };
      ch.port2.postMessage(0);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Copies the examples `ids[from..to)` of a split into `out`, scaled to model inputs. */
export function fillFeatures(split: Split, per: number, scale: number, ids: ArrayLike<number>, from: number, to: number, out: Float32Array): void {
  for (let i = from; i < to; i++) {
    const src = ids[i] * per;
    const dst = (i - from) * per;
    if (scale === 1 && split.x instanceof Float32Array) out.set(split.x.subarray(src, src + per), dst);
    else for (let k = 0; k < per; k++) out[dst + k] = split.x[src + k] * scale;
  }
}

/** Writes the targets of `ids[from..to)` in the given encoding into `out` (zeroed first). */
export function fillTargets(split: Split, encoding: TargetEncoding, units: number, ids: ArrayLike<number>, from: number, to: number, out: Float32Array): void {
  const w = targetWidth(encoding, units);
  out.fill(0, 0, (to - from) * w);
  for (let i = from; i < to; i++) {
    const y = split.y[ids[i]];
    if (encoding === 'onehot') out[(i - from) * w + y] = 1;
    else out[i - from] = y;
  }
}

const MONITOR_MIN = new Set(['loss', 'val_loss']);

/** A usual learning rate per optimizer, for the advice of the divergence guard. */
const TYPICAL_RATE: Record<TrainingSettings['optimizer'], number> = { sgd: 0.01, momentum: 0.01, adam: 0.001, rmsprop: 0.001, adagrad: 0.01 };

/**
 * Batches before the divergence guard may act, and consecutive batches the smoothed loss must
 * stay diverged for. The starting loss is the first batch's: tfjs computes it before the first
 * update, so it is the loss of the initial weights.
 */
const DIVERGENCE_AFTER = 20;
const DIVERGENCE_RUN = 10;

/** The advice when the loss blows up: a rate ten times lower, or the optimizer's usual one. */
export function lowerRateAdvice(settings: Pick<TrainingSettings, 'optimizer' | 'learningRate'>): string {
  const lr = settings.learningRate;
  const suggestion = Number(Math.min(lr / 10, TYPICAL_RATE[settings.optimizer]).toPrecision(2));
  return `Lower the learning rate (it is ${lr}); try ${suggestion}.`;
}

/**
 * True when the loss ran away from where it started: the smoothed loss is more than twice
 * the starting loss plus one. tfjs clips probabilities in its cross-entropy losses, so a
 * learning rate that blows the weights up yields a large but finite loss (on WebGL, about 8
 * for MNIST where training starts at 2.3) rather than NaN; the guard catches that case too
 * when it lasts DIVERGENCE_RUN batches.
 */
export function hasDiverged(startLoss: number, smoothLoss: number): boolean {
  return smoothLoss > 2 * startLoss + 1;
}

/** One training run. Create, `start()`, then pause/resume/stop it; `dispose()` when done. */
export class TrainingRun {
  state: RunState = 'idle';
  model: tfjs.LayersModel | null = null;
  readonly history: EpochLog[] = [];

  private readonly o: RunOptions;
  private optimizer: tfjs.Optimizer | null = null;
  private resumeGate: Promise<void> | null = null;
  private release: (() => void) | null = null;
  private stopRequested = false;
  private grid: tfjs.Tensor | null = null;
  private lastBoundary = 0;
  private bestWeights: tfjs.Tensor[] | null = null;
  /** The neuron view's chain (false: the graph is not one), and when its weights were last sent. */
  private chain: DenseChain | false | undefined;
  private lastWeights = -Infinity;
  /** Whether the model started from `startWeights` (set by hand) rather than the seed's draw. */
  private handSet = false;
  /** The health probe (false: nothing to measure), the run's first measurement, and when the last was taken. */
  private probe: HealthProbe | false | undefined;
  private firstHealth: HealthStats | null = null;
  private lastHealth = -Infinity;

  constructor(options: RunOptions) {
    this.o = options;
  }

  /** `p`, unless `abortOn` settles first: then an error with its message. */
  private guard<T>(p: Promise<T>): Promise<T> {
    const abortOn = this.o.abortOn;
    if (!abortOn) return p;
    p.catch(() => undefined); // a late failure of the abandoned work is not news
    return Promise.race([p, abortOn.then((msg) => Promise.reject(new Error(msg)))]);
  }

  private setState(s: RunState): void {
    this.state = s;
    this.o.listener?.onState?.(s);
  }

  /** Pauses after the current batch. */
  pause(): void {
    if (this.state !== 'running') return;
    this.resumeGate = new Promise((resolve) => {
      this.release = resolve;
    });
    this.setState('paused');
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.setState('running');
    const r = this.release;
    this.resumeGate = null;
    this.release = null;
    r?.();
  }

  /** Stops after the current batch; the model keeps the weights it has. */
  stop(): void {
    if (this.state === 'finished' || this.state === 'idle') return;
    this.stopRequested = true;
    const wasPaused = this.state === 'paused';
    this.setState('stopping');
    if (wasPaused) {
      const r = this.release;
      this.resumeGate = null;
      this.release = null;
      r?.();
    }
  }

  /** Builds the model (weights drawn from the seed, or the given start weights) and compiles it with the run's optimizer and loss. */
  private async build(): Promise<tfjs.LayersModel> {
    const { tf, result, settings, plan, buildModel } = this.o;
    // toTfjsModel builds (and draws the weights) within the call, so the seed covers it.
    const model = await withSeededMathRandom(settings.seed, () => (buildModel ? buildModel(tf) : toTfjsModel(tf, result)));
    const start = this.o.startWeights;
    const chain = start && !buildModel ? denseChain(result).chain : null;
    this.handSet = !!chain && weightsFit(chain, start!);
    if (this.handSet) writeChainWeights(tf, model, result, chain!, start!);
    this.optimizer = makeOptimizer(tf, settings);
    model.compile({ optimizer: this.optimizer, loss: plan.loss, metrics: plan.task === 'classification' ? ['acc'] : [] });
    return model;
  }

  private tensors(split: Split, ids: ArrayLike<number>, from: number, to: number): [tfjs.Tensor, tfjs.Tensor] {
    return batchTensors(this.o.tf, this.o.dataset, this.o.plan, split, ids, from, to);
  }

  /**
   * Validation loss and accuracy: from the resident examples in one read-back, else chunk by
   * chunk. With `fit`, the training examples are evaluated the same way (inference mode, no
   * penalty) within the same read-back.
   */
  private async validate(source: BatchSource, ids: ArrayLike<number>, fit?: BatchSource): Promise<Measured & { train?: Measured }> {
    const all = source.tensors();
    if (!all) return this.measure(this.o.dataset.train, ids);
    const { tf } = this.o;
    const fitAll = fit?.tensors();
    const sets = fitAll ? [all, fitAll] : [all];
    const out = sets.flatMap(([x, y]) => evaluateResident(tf, this.model!, x, y));
    const stacked = tf.tidy(() => tf.stack(out));
    tf.dispose(out);
    try {
      const v = await stacked.data();
      const per = out.length / sets.length;
      const at = (i: number): Measured => ({ loss: v[i * per], acc: per > 1 ? v[i * per + 1] : undefined });
      return { ...at(0), train: fitAll ? at(1) : undefined };
    } finally {
      stacked.dispose();
    }
  }

  private measure(split: Split, ids: ArrayLike<number>): Promise<{ loss: number; acc?: number }> {
    return measureModel(this.o.tf, this.model!, this.o.dataset, this.o.plan, split, ids);
  }

  private async boundary(force: boolean): Promise<void> {
    const { listener, tf, boundaryEveryMs = 250 } = this.o;
    const g = this.o.boundaryGrid ?? 0;
    if (!g || !listener?.onBoundary || !this.model) return;
    const now = performance.now();
    if (!force && now - this.lastBoundary < boundaryEveryMs) return;
    this.lastBoundary = now;
    if (!this.grid) {
      const [lo, hi] = this.o.dataset.domain ?? [-1, 1];
      const scale = this.o.dataset.pointScale ?? 1;
      const pts = new Float32Array(g * g * 2);
      for (let r = 0; r < g; r++) {
        for (let c = 0; c < g; c++) {
          const i = r * g + c;
          pts[2 * i] = (lo + ((c + 0.5) / g) * (hi - lo)) / scale;
          pts[2 * i + 1] = (hi - ((r + 0.5) / g) * (hi - lo)) / scale;
        }
      }
      this.grid = tf.tensor2d(pts, [g * g, 2]);
    }
    const model = this.model;
    const grid = this.grid;
    const p = tf.tidy(() => {
      // The whole lattice in one batch: predict's default batches of 32 cost 72 rounds of
      // kernels for a 48×48 lattice, more than a small network's epoch of training.
      const y = model.predict(grid, { batchSize: g * g }) as tfjs.Tensor;
      return y.shape[1] === 1 ? y.reshape([-1]) : y.slice([0, 1], [-1, 1]).reshape([-1]);
    });
    const probs = (await p.data()) as Float32Array;
    p.dispose();
    listener.onBoundary(probs, g);
  }

  /** Sends the weights of a small dense chain, throttled (but always at the last epoch): a few hundred floats read back. */
  private async neuronWeights(last: boolean): Promise<void> {
    const { listener, result, buildModel } = this.o;
    if (!listener?.onWeights || !this.model || buildModel) return;
    this.chain ??= denseChain(result).chain ?? false;
    const now = performance.now();
    // 250 ms: a small network trains an epoch in a few tens of milliseconds; the view's
    // lines need not move every epoch, while each snapshot costs a read-back.
    if (!this.chain || (!last && now - this.lastWeights < 250)) return;
    this.lastWeights = now;
    listener.onWeights(await readChainWeights(this.model, result, this.chain));
  }

  /**
   * Measures training health on the first examples of the epoch's order, throttled to ~200 ms
   * (but always at the last epoch). A model the probe cannot read is not measured: health is
   * a view on training and never ends a run.
   */
  private async health(source: BatchSource, available: number, epoch: number, last: boolean): Promise<void> {
    const { listener, tf, result, buildModel } = this.o;
    if (!listener?.onHealth || !this.model || buildModel || this.probe === false) return;
    const now = performance.now();
    if (!last && now - this.lastHealth < 200) return;
    this.lastHealth = now;
    let stats: HealthStats;
    try {
      this.probe ??= new HealthProbe(tf, this.model, result);
      const [x, y] = source.batch(0, Math.min(HEALTH_BATCH, available));
      try {
        stats = await this.probe.measure(x, y, epoch);
      } finally {
        tf.dispose([x, y]);
      }
    } catch {
      this.probe = false;
      return;
    }
    this.firstHealth ??= stats;
    listener.onHealth({ stats, warnings: healthWarnings(stats, this.firstHealth) });
  }

  private snapshotBest(): void {
    const { tf } = this.o;
    if (this.bestWeights) tf.dispose(this.bestWeights);
    this.bestWeights = tf.tidy(() => this.model!.getWeights().map((w) => w.clone()));
  }

  /** Trains to the end (or until stopped); resolves with why and how the run ended. */
  async start(): Promise<RunEnd> {
    if (this.state !== 'idle') throw new Error('A run starts once; create a new TrainingRun to train again.');
    if (this.o.plan.rule === 'perceptron') return this.startPerceptron();
    const { tf, settings, dataset, listener } = this.o;
    this.setState('running');
    const started = performance.now();
    let pausedMs = 0;
    let examples = 0;
    let trainMs = 0;
    const es = settings.earlyStopping;
    const monitorMin = MONITOR_MIN.has(es.monitor);
    let best = monitorMin ? Infinity : -Infinity;
    let bestEpoch: number | undefined;
    let wait = 0;
    let reason: EndReason = 'completed';
    let message = '';

    const train = dataset.train;
    const nVal = Math.floor(train.n * settings.validationSplit);
    const nFit = train.n - nVal;
    const fitIds = Int32Array.from({ length: nFit }, (_, i) => i);
    const valIds = Int32Array.from({ length: nVal }, (_, i) => nFit + i);
    const bs = Math.min(settings.batchSize, nFit);
    const batchesPerEpoch = Math.ceil(nFit / bs);
    const epochs = settings.epochs;
    const rand = mulberry32((settings.seed ^ 0x5bd1e995) >>> 0);
    let step = 0;
    let smoothLoss = 0;
    let smoothAcc = 0;
    const beta = 0.9;
    const eta = new RemainingTime(batchesPerEpoch, epochs);
    const clock = () => performance.now() - pausedMs;
    let startLoss = 0;
    let divergedFor = 0;

    const source = { current: null as BatchSource | null, val: null as BatchSource | null };
    const pending: { batch: number; n: number; out: StepOutput }[] = [];
    const releasePending = () => {
      for (const p of pending) tf.dispose(p.out);
      pending.length = 0;
    };

    try {
      this.model = await this.build();
      const trainStep = makeTrainStep(tf, this.model, this.optimizer!);
      const assemble = (split: Split, ids: ArrayLike<number>, from: number, to: number) => this.tensors(split, ids, from, to);
      source.current = new BatchSource(tf, dataset, this.o.plan, train, fitIds, assemble);
      if (nVal > 0) source.val = new BatchSource(tf, dataset, this.o.plan, train, valIds, assemble);
      const order = Int32Array.from(fitIds);
      await this.guard(this.boundary(true));
      eta.begin(clock());
      // Batches trained between two read-backs: adapted to the model's speed so that the
      // curves update about every SYNC_MS, i.e. every batch for a big model, every epoch for a
      // small one.
      let syncEvery = 1;
      let lastYield = performance.now();
      epochLoop: for (let epoch = 1; epoch <= epochs; epoch++) {
        const epochStart = performance.now();
        shuffleInPlace(order, rand);
        source.current.epoch(order);
        let lossSum = 0;
        let accSum = 0;
        let seen = 0;
        let groupStart = performance.now();
        for (let b = 0; b < batchesPerEpoch; b++) {
          if (this.resumeGate) {
            const p0 = performance.now();
            await this.guard(this.resumeGate);
            pausedMs += performance.now() - p0;
            groupStart += performance.now() - p0;
          }
          if (this.stopRequested) {
            reason = 'stopped';
            message = `Stopped at epoch ${epoch}, batch ${b + 1} of ${batchesPerEpoch}.`;
            break epochLoop;
          }
          const abort = this.o.abortReason?.();
          if (abort) {
            reason = 'error';
            message = abort;
            break epochLoop;
          }
          const from = b * bs;
          const to = Math.min(nFit, from + bs);
          const [x, y] = source.current.batch(from, to);
          try {
            pending.push({ batch: b + 1, n: to - from, out: trainStep(x, y) });
          } finally {
            tf.dispose([x, y]);
          }
          if (pending.length >= syncEvery || b === batchesPerEpoch - 1) {
            // One read-back for the whole group.
            const stacked = tf.tidy(() => tf.stack(pending.flatMap((p) => p.out)));
            let values: Float32Array;
            try {
              values = (await this.guard(stacked.data())) as Float32Array;
            } finally {
              stacked.dispose();
            }
            const groupMs = performance.now() - groupStart;
            trainMs += groupMs;
            syncEvery = Math.max(1, Math.min(batchesPerEpoch, Math.floor((SYNC_MS * pending.length) / Math.max(groupMs, 1e-3))));
            const group = pending.splice(0);
            let k = 0;
            for (const p of group) {
              const loss = values[k++];
              const acc = p.out.length > 1 ? values[k++] : undefined;
              tf.dispose(p.out);
              step++;
              examples += p.n;
              seen += p.n;
              lossSum += loss * p.n;
              if (acc !== undefined) accSum += acc * p.n;
              if (!Number.isFinite(loss)) {
                reason = 'nan';
                message = `The loss became ${Number.isNaN(loss) ? 'NaN' : 'infinite'} at epoch ${epoch}, batch ${p.batch}: the weights blew up. ${lowerRateAdvice(settings)}`;
                for (const q of group) tf.dispose(q.out);
                break epochLoop;
              }
              smoothLoss = beta * smoothLoss + (1 - beta) * loss;
              if (acc !== undefined) smoothAcc = beta * smoothAcc + (1 - beta) * acc;
              const debias = 1 - beta ** step;
              if (step === 1) startLoss = loss;
              else divergedFor = hasDiverged(startLoss, smoothLoss / debias) ? divergedFor + 1 : 0;
              if (step >= DIVERGENCE_AFTER && divergedFor >= DIVERGENCE_RUN) {
                reason = 'diverged';
                message = `The loss exploded: it started near ${startLoss.toFixed(2)} and has stayed above ${(2 * startLoss + 1).toFixed(2)} for ${divergedFor} batches (now ${(smoothLoss / debias).toFixed(2)}, epoch ${epoch}, batch ${p.batch}): the model is getting worse, not better. ${lowerRateAdvice(settings)}`;
                for (const q of group) tf.dispose(q.out);
                break epochLoop;
              }
              listener?.onBatch?.({
                epoch, batch: p.batch, batchesPerEpoch, epochs, step, loss, acc,
                smoothLoss: smoothLoss / debias,
                smoothAcc: acc !== undefined ? smoothAcc / debias : undefined,
                examplesPerSecond: trainMs > 0 ? (examples * 1000) / trainMs : 0,
                elapsedMs: performance.now() - started - pausedMs,
                etaMs: eta.update(clock(), epoch, p.batch),
              });
            }
            if (b < batchesPerEpoch - 1) await this.guard(this.boundary(false));
            groupStart = performance.now();
          }
          // Pause and stop arrive as messages: let them in every few milliseconds.
          if (performance.now() - lastYield >= YIELD_MS || pending.length === 0) {
            await yieldToEventLoop();
            lastYield = performance.now();
          }
        }
        source.current.releaseEpoch();

        const log: EpochLog = {
          epoch,
          loss: lossSum / seen,
          acc: dataset.task === 'classification' ? accSum / seen : undefined,
          ms: 0,
          numTensors: 0,
          numBytes: 0,
        };
        if (nVal > 0) {
          const fit = nFit <= (this.o.trainEvalMax ?? TRAIN_EVAL_MAX) ? source.current : undefined;
          const v = await this.guard(this.validate(source.val!, valIds, fit));
          log.valLoss = v.loss;
          log.valAcc = v.acc;
          if (v.train) {
            log.trainEvalLoss = v.train.loss;
            log.trainEvalAcc = v.train.acc;
          }
          if (!Number.isFinite(v.loss)) {
            reason = 'nan';
            message = `The validation loss became ${Number.isNaN(v.loss) ? 'NaN' : 'infinite'} at epoch ${epoch}: the weights blew up. ${lowerRateAdvice(settings)}`;
          }
        }
        await this.guard(this.boundary(true));
        eta.endEpoch(clock());
        let stopEarly = false;
        if (es.enabled && reason === 'completed') {
          const key = es.monitor === 'val_loss' ? 'valLoss' : es.monitor === 'val_acc' ? 'valAcc' : es.monitor;
          const current = log[key as 'loss' | 'acc' | 'valLoss' | 'valAcc'];
          if (current !== undefined && Number.isFinite(current)) {
            const improved = monitorMin ? current < best - es.minDelta : current > best + es.minDelta;
            log.improved = improved;
            if (improved) {
              best = current;
              bestEpoch = epoch;
              wait = 0;
              if (es.restoreBestWeights) this.snapshotBest();
            } else {
              wait++;
              if (wait >= Math.max(1, es.patience)) stopEarly = true;
            }
          }
        }
        log.ms = performance.now() - epochStart;
        const mem = tf.memory();
        log.numTensors = mem.numTensors;
        log.numBytes = mem.numBytes;
        this.history.push(log);
        listener?.onEpoch?.(log);
        await this.guard(this.neuronWeights(epoch === epochs));
        await this.guard(this.health(source.current, nFit, epoch, epoch === epochs || reason !== 'completed' || stopEarly));
        if (reason !== 'completed') break;
        if (stopEarly) {
          reason = 'early-stopped';
          message = `Stopped early after epoch ${epoch}: the ${MONITOR_TITLES[es.monitor]} has not improved for ${wait} epoch${wait === 1 ? '' : 's'} (best ${formatMonitored(es.monitor, best)} at epoch ${bestEpoch}).`;
          break;
        }
      }
    } catch (err) {
      reason = 'error';
      // A lost WebGL context makes the batch in flight fail with a GL error; say why instead.
      message = this.o.abortReason?.() ?? trainingErrorMessage(err, this.model);
    }
    releasePending();
    source.current?.dispose();
    source.val?.dispose();

    let restoredBest = false;
    if (this.bestWeights && this.model && (reason === 'early-stopped' || reason === 'completed')) {
      const last = this.history[this.history.length - 1]?.epoch;
      if (bestEpoch !== undefined && bestEpoch !== last) {
        this.model.setWeights(this.bestWeights);
        restoredBest = true;
        message += `${message ? ' ' : ''}Restored the weights of epoch ${bestEpoch}.`;
      }
    }
    if (this.bestWeights) {
      tf.dispose(this.bestWeights);
      this.bestWeights = null;
    }
    if (reason === 'completed') message = `Trained ${epochs} epoch${epochs === 1 ? '' : 's'}.${message ? ` ${message}` : ''}`;
    this.setState('finished');
    return {
      reason,
      message,
      epochsDone: this.history.length,
      bestEpoch,
      best: es.enabled && bestEpoch !== undefined ? { monitor: es.monitor, title: MONITOR_TITLES[es.monitor], value: best, epoch: bestEpoch } : undefined,
      restoredBest,
      history: this.history,
      elapsedMs: performance.now() - started - pausedMs,
      examplesPerSecond: trainMs > 0 ? (examples * 1000) / trainMs : 0,
    };
  }

  /** Waits while paused; true when the run must end (stop asked, or an abort reason). */
  private async gate(onPause: (ms: number) => void): Promise<boolean> {
    if (this.resumeGate) {
      const p0 = performance.now();
      await this.guard(this.resumeGate);
      onPause(performance.now() - p0);
    }
    return this.stopRequested || !!this.o.abortReason?.();
  }

  /** Writes the perceptron's w and b into the model (for the boundary, validation and evaluation). */
  private writePerceptron(p: PerceptronWeights): void {
    const { tf } = this.o;
    const ts = [tf.tensor2d(Float32Array.from(p.w), [p.w.length, 1]), ...(p.useBias ? [tf.tensor1d([p.b])] : [])];
    this.model!.setWeights(ts);
    tf.dispose(ts);
  }

  /**
   * Trains a single step unit by the perceptron rule (see ./perceptron.ts) on the model's own
   * starting weights: one example at a time, an update on each mistake, reported as it is made;
   * it ends at the first pass without a mistake, or says that none came within the epochs.
   * The optimizer is not used; the loss reported is the mean squared error of the 0/1 outputs,
   * which is the fraction of points the perceptron gets wrong.
   */
  private async startPerceptron(): Promise<RunEnd> {
    const { tf, settings, dataset, listener } = this.o;
    this.setState('running');
    const started = performance.now();
    let pausedMs = 0;
    const clock = () => performance.now() - pausedMs;
    const train = dataset.train;
    const nVal = Math.floor(train.n * settings.validationSplit);
    const nFit = train.n - nVal;
    const per = exampleSize(dataset.featureShape);
    const all = Int32Array.from({ length: nFit }, (_, i) => i);
    const x = new Float32Array(nFit * per);
    fillFeatures(train, per, dataset.xScale, all, 0, nFit, x);
    const y = train.y.subarray(0, nFit);
    const valIds = Int32Array.from({ length: nVal }, (_, i) => nFit + i);
    const order = Int32Array.from(all);
    const rand = mulberry32((settings.seed ^ 0x5bd1e995) >>> 0);
    const epochs = settings.epochs;
    const bs = Math.min(settings.batchSize, nFit);
    const batchesPerEpoch = Math.ceil(nFit / bs);
    const eta = new RemainingTime(batchesPerEpoch, epochs);
    const pace = this.o.perceptronPaceMs ?? 0;
    let reason: EndReason = 'completed';
    let message = '';
    let updates = 0;
    let examples = 0;
    let fewest = Infinity;
    const onPause = (ms: number) => {
      pausedMs += ms;
    };
    const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

    try {
      this.model = await this.build();
      const start = this.model.getWeights();
      const p: PerceptronWeights = { w: Float64Array.from(await start[0].data()), b: start.length > 1 ? (await start[1].data())[0] : 0, useBias: start.length > 1 };
      await this.guard(this.boundary(true));
      eta.begin(clock());
      epochLoop: for (let epoch = 1; epoch <= epochs; epoch++) {
        const epochStart = performance.now();
        shuffleInPlace(order, rand);
        const pass = perceptronEpoch(p, { x, y, order, eta: settings.learningRate, epoch, updatesBefore: updates });
        const report = (position: number, mistakes: number) => {
          const batch = Math.max(1, Math.ceil(position / bs));
          const rate = mistakes / Math.max(1, position);
          listener?.onBatch?.({
            epoch, batch, batchesPerEpoch, epochs, step: (epoch - 1) * batchesPerEpoch + batch, loss: rate, acc: 1 - rate,
            smoothLoss: rate, smoothAcc: 1 - rate,
            examplesPerSecond: (examples + position) / Math.max(1e-3, (clock() - started) / 1000),
            elapsedMs: clock() - started,
            etaMs: eta.update(clock(), epoch, batch),
          });
        };
        let r = pass.next();
        let mistakes = 0;
        while (!r.done) {
          const u = r.value;
          mistakes++;
          updates = u.update;
          listener?.onPerceptron?.(u);
          report(u.position, mistakes);
          const paced = pace > 0 && updates <= PACED_UPDATES;
          const draws = !!this.o.boundaryGrid && !!listener?.onBoundary;
          if (draws && (paced || performance.now() - this.lastBoundary >= (this.o.boundaryEveryMs ?? 250))) {
            this.writePerceptron(p);
            await this.guard(this.boundary(paced));
          }
          // Stop and pause arrive between tasks: yield at every paced update, else every 16th.
          if (paced) await wait(pace);
          else if (updates % 16 === 0) await yieldToEventLoop();
          if (await this.gate(onPause)) {
            reason = this.stopRequested ? 'stopped' : 'error';
            message = this.stopRequested ? `Stopped at epoch ${epoch}, after update ${updates} (point ${u.position} of ${nFit}).` : this.o.abortReason?.() ?? '';
            this.writePerceptron(p);
            break epochLoop;
          }
          r = pass.next();
        }
        mistakes = r.value;
        examples += nFit;
        fewest = Math.min(fewest, mistakes);
        report(nFit, mistakes);
        this.writePerceptron(p);
        const log: EpochLog = { epoch, loss: mistakes / nFit, acc: 1 - perceptronErrors(p, x, y, nFit) / nFit, ms: 0, numTensors: 0, numBytes: 0 };
        if (nVal > 0) {
          const v = await this.guard(this.measure(train, valIds));
          log.valLoss = v.loss;
          log.valAcc = v.acc;
        }
        await this.guard(this.boundary(true));
        eta.endEpoch(clock());
        log.ms = performance.now() - epochStart;
        const mem = tf.memory();
        log.numTensors = mem.numTensors;
        log.numBytes = mem.numBytes;
        this.history.push(log);
        listener?.onEpoch?.(log);
        await this.guard(this.neuronWeights(epoch === epochs));
        if (mistakes === 0) {
          message = separatedMessage(epoch, updates, nFit, this.handSet);
          break;
        }
        if (epoch === epochs) {
          reason = 'not-separable';
          message = notSeparatedMessage(epochs, fewest, nFit, updates);
        }
        if (await this.gate(onPause)) {
          reason = this.stopRequested ? 'stopped' : 'error';
          message = this.stopRequested ? `Stopped after epoch ${epoch}.` : this.o.abortReason?.() ?? '';
          break;
        }
      }
    } catch (err) {
      reason = 'error';
      message = this.o.abortReason?.() ?? (err instanceof Error ? err.message : String(err));
    }
    this.setState('finished');
    const elapsedMs = clock() - started;
    return {
      reason, message, epochsDone: this.history.length, restoredBest: false, history: this.history, elapsedMs,
      examplesPerSecond: elapsedMs > 0 ? (examples * 1000) / elapsedMs : 0,
    };
  }

  /** Model outputs for `n` examples already in model units (chunked); probabilities for classes. */
  async predict(x: Float32Array, n: number): Promise<Float32Array> {
    return predictWith(this.o.tf, this.model!, this.o.plan.inputShape, x, n);
  }

  /** Test loss, accuracy (or MAE), predictions and the confusion matrix. */
  async evaluate(split: Split = this.o.dataset.test): Promise<Evaluation> {
    if (!this.model) throw new Error('Nothing to evaluate: the run has not built its model.');
    return evaluateModel(this.o.tf, this.model, this.o.dataset, this.o.plan, split);
  }

  /** Frees the model, the optimizer's slots and the lattice. */
  dispose(): void {
    const { tf } = this.o;
    if (this.grid) tf.dispose(this.grid);
    this.grid = null;
    this.optimizer?.dispose();
    this.optimizer = null;
    this.model?.dispose();
    this.model = null;
  }
}

type BatchPlan = Pick<RunPlan, 'encoding' | 'inputShape' | 'output'>;

/** The input and target tensors of `ids[from..to)` of a split. */
export function batchTensors(tf: TF, dataset: Dataset, plan: BatchPlan, split: Split, ids: ArrayLike<number>, from: number, to: number): [tfjs.Tensor, tfjs.Tensor] {
  const per = exampleSize(dataset.featureShape);
  const units = plan.output.units;
  const n = to - from;
  const xs = new Float32Array(n * per);
  fillFeatures(split, per, dataset.xScale, ids, from, to, xs);
  const w = targetWidth(plan.encoding, units);
  const ys = new Float32Array(n * w);
  fillTargets(split, plan.encoding, units, ids, from, to, ys);
  return [tf.tensor(xs, [n, ...plan.inputShape]), tf.tensor2d(ys, [n, w])];
}

/** Called after each chunk of an evaluation; it may wait (to let messages in) or throw (to cancel). */
export type ChunkTick = () => void | Promise<void>;

/** Loss and accuracy of a compiled model over `ids` of a split, in chunks, in inference mode. */
export async function measureModel(tf: TF, model: tfjs.LayersModel, dataset: Dataset, plan: BatchPlan, split: Split, ids: ArrayLike<number>, tick?: ChunkTick): Promise<{ loss: number; acc?: number }> {
  let loss = 0;
  let acc = 0;
  let hasAcc = false;
  for (let from = 0; from < ids.length; from += EVAL_CHUNK) {
    const to = Math.min(ids.length, from + EVAL_CHUNK);
    const [x, y] = batchTensors(tf, dataset, plan, split, ids, from, to);
    const out = model.evaluate(x, y, { batchSize: EVAL_CHUNK });
    const scalars = Array.isArray(out) ? out : [out];
    const values = await Promise.all(scalars.map((s) => s.data()));
    tf.dispose([x, y, ...scalars]);
    loss += values[0][0] * (to - from);
    if (values.length > 1) {
      hasAcc = true;
      acc += values[1][0] * (to - from);
    }
    await tick?.();
  }
  return { loss: loss / ids.length, acc: hasAcc ? acc / ids.length : undefined };
}

/** Runs `model.predict` over `n` examples in chunks and returns the outputs, flat. */
export async function predictWith(tf: TF, model: tfjs.LayersModel, inputShape: number[], x: Float32Array, n: number, tick?: ChunkTick): Promise<Float32Array> {
  const per = exampleSize(inputShape);
  const parts: Float32Array[] = [];
  for (let from = 0; from < n; from += EVAL_CHUNK) {
    const to = Math.min(n, from + EVAL_CHUNK);
    const y = tf.tidy(() => model.predict(tf.tensor(x.subarray(from * per, to * per), [to - from, ...inputShape])) as tfjs.Tensor);
    parts.push((await y.data()) as Float32Array);
    y.dispose();
    await tick?.();
  }
  const total = parts.reduce((a, p) => a + p.length, 0);
  const out = new Float32Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Per-class probabilities from raw outputs: a single sigmoid unit becomes [1 − p, p]. */
export function toClassProbs(outputs: Float32Array, units: number, classes: number): Float32Array {
  if (units !== 1) return outputs;
  const n = outputs.length;
  const probs = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) {
    probs[i * classes] = 1 - outputs[i];
    probs[i * classes + 1] = outputs[i];
  }
  return probs;
}

/** Thrown by an evaluation that was asked to stop (see `EvaluateOptions.cancelled`). */
export class EvaluationSkipped extends Error {
  constructor() {
    super('The test evaluation was skipped.');
  }
}

export interface EvaluateOptions {
  /** Progress from 0 to 1, after each chunk. */
  onProgress?(fraction: number): void;
  /** Polled after each chunk: true skips the rest (the evaluation throws EvaluationSkipped). */
  cancelled?(): boolean;
}

/**
 * Evaluates a compiled model on a split: loss with tfjs's own loss function, predictions and
 * the confusion matrix from `model.predict`. With options it reports its progress and yields
 * after each chunk, so that a request to skip it can arrive.
 */
export async function evaluateModel(
  tf: TF,
  model: tfjs.LayersModel,
  dataset: Dataset,
  plan: Pick<RunPlan, 'inputShape' | 'output' | 'task' | 'encoding'>,
  split: Split,
  options?: EvaluateOptions,
): Promise<Evaluation> {
  const n = split.n;
  const ids = Int32Array.from({ length: n }, (_, i) => i);
  const chunks = 2 * Math.max(1, Math.ceil(n / EVAL_CHUNK));
  let done = 0;
  const tick: ChunkTick | undefined = options && (async () => {
    done++;
    options.onProgress?.(Math.min(1, done / chunks));
    await yieldToEventLoop();
    if (options.cancelled?.()) throw new EvaluationSkipped();
  });
  const { loss } = await measureModel(tf, model, dataset, plan, split, ids, tick);
  const per = exampleSize(dataset.featureShape);
  const x = new Float32Array(n * per);
  fillFeatures(split, per, dataset.xScale, ids, 0, n, x);
  const outputs = await predictWith(tf, model, plan.inputShape, x, n, tick);
  if (plan.task === 'regression') {
    const t = dataset.target ?? { mean: 0, std: 1 };
    const predicted = new Float32Array(n);
    let mae = 0;
    for (let i = 0; i < n; i++) {
      predicted[i] = outputs[i] * t.std + t.mean;
      mae += Math.abs(predicted[i] - (split.y[i] * t.std + t.mean));
    }
    return { n, loss, mae: mae / n, predicted };
  }
  const k = dataset.classNames.length;
  const probs = toClassProbs(outputs, plan.output.units, k);
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const predicted = new Float32Array(n);
  let right = 0;
  for (let i = 0; i < n; i++) {
    let arg = 0;
    for (let c = 1; c < k; c++) if (probs[i * k + c] > probs[i * k + arg]) arg = c;
    predicted[i] = arg;
    const truth = split.y[i];
    confusion[truth][arg]++;
    if (arg === truth) right++;
  }
  return { n, loss, accuracy: right / n, predicted, probs, confusion };
}
