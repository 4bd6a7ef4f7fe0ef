/**
 * The training session: one per page. It owns the training host (a Web Worker running
 * TensorFlow.js, created on the first run, never with the page), the uploaded files, the data
 * set, and what the panel shows (status, progress, curves, evaluation). React reads it through
 * `useTrainingSession`; the per-batch curves and the decision boundary live outside React
 * state and are read through `version` counters, so that a run does not re-render the panel
 * at every batch.
 */
import { create } from 'zustand';
import type { CompileResult, Diagnostic, GraphDocument, TrainingSettings } from '@/graph-compiler';
import { parseCsv } from '@/graph-compiler/datasets/csv-table';
import { loadDataset, type Upload } from '@/lib/datasets/services';
import type { Dataset, DatasetInfo } from '@/lib/datasets/types';
import { checkRun } from './check';
import type { ModelFilesPayload, ModelPlan, TrainingMemory } from './engine';
import { createHost, type RunHost } from './host';
import type { PerceptronUpdate, TrainingRule } from './perceptron';
import { keepRun, type KeptRun } from './run-diff';
import type { BatchLog, EndReason, EpochLog, Evaluation, MonitoredBest } from './run';
import type { BackendName } from './tf';
import type { NodeActivations } from './activations';
import type { HealthReport } from './health';
import { showHealthMarks } from './health-marks';
import { planeLattice, type LayerWeights } from './neurons';
import type { WeightEdit } from './neuron-weights';

export type { Upload } from '@/lib/datasets/services';

export type Phase = 'idle' | 'preparing' | 'running' | 'paused' | 'stopping' | 'evaluating' | 'finished';

/** Per-batch and per-epoch curves, aligned on one x axis (epochs, fractional within one). */
export interface Curves {
  x: number[];
  /** Smoothed batch loss and accuracy. */
  loss: number[];
  acc: (number | null)[];
  /** Per-epoch values at the epoch's last batch, null elsewhere. */
  epochLoss: (number | null)[];
  epochAcc: (number | null)[];
  valLoss: (number | null)[];
  valAcc: (number | null)[];
}

const emptyCurves = (): Curves => ({ x: [], loss: [], acc: [], epochLoss: [], epochAcc: [], valLoss: [], valAcc: [] });

/** The live decision boundary: P(class 1) on a grid×grid lattice. */
export interface Boundary {
  probs: Float32Array;
  grid: number;
}

export interface RunSummary {
  reason: EndReason;
  message: string;
  /** What early stopping watched and its best value. */
  best?: MonitoredBest;
  restoredBest: boolean;
  examplesPerSecond: number;
  elapsedMs: number;
}

export interface SessionState {
  backend: BackendName | null;
  /** Where training runs: in a worker, or on the page's main thread. */
  where: 'worker' | 'page' | null;
  /** Why training runs on the CPU, when it does. */
  backendNotice: string | null;
  upload: Upload | null;
  /** A problem with the uploaded file (names the row or the file). */
  uploadError: string | null;
  /** Image decoding progress, 0 to 1, while images load. */
  uploadProgress: number | null;
  phase: Phase;
  /** A short line under the status while preparing (loading tfjs, loading MNIST, ...). */
  detail: string;
  progress: BatchLog | null;
  epochs: EpochLog[];
  end: RunSummary | null;
  /** Diagnostics found when the loaded data set is checked against the graph at start. */
  startDiagnostics: Diagnostic[];
  evaluation: Evaluation | null;
  /** Where the evaluated model came from. */
  evaluationSource: 'run' | 'file' | null;
  /** The data set the evaluation (and the prediction grid) refers to. */
  dataset: Dataset | null;
  plan: ModelPlan | null;
  curvesVersion: number;
  boundaryVersion: number;
  /** How the current run trains: gradient descent, or the perceptron rule. */
  rule: TrainingRule | null;
  /** The perceptron rule's latest update (the panel reads the others with `currentUpdates`). */
  perceptron: PerceptronUpdate | null;
  /** Test evaluation progress, 0 to 1, while evaluating. */
  evalProgress: number | null;
  /** Bumped when the neuron view's weights change (read them with `currentNeuronWeights`). */
  neuronVersion: number;
  /** The run's latest training health and its warnings (null before the first measurement). */
  health: HealthReport | null;
  /** True when a model (trained or loaded) can predict. */
  hasModel: boolean;
  modelName: string | null;
  /** The last finished or stopped runs (at most four), for the run comparison. */
  runs: KeptRun[];
}

export interface StartArgs {
  doc: GraphDocument;
  result: CompileResult;
  settings: TrainingSettings;
  preferBackend?: BackendName;
}

export interface SessionActions {
  start(args: StartArgs): Promise<void>;
  pause(): void;
  resume(): void;
  stop(): void;
  setCsv(file: File): Promise<void>;
  setImages(files: File[]): void;
  clearUpload(): void;
  /** Class probabilities of the active model for examples in model units; null without a model. */
  predict(x: Float32Array, n: number): Promise<Float32Array | null>;
  /** The training host's tf.memory() (the host starts, and TensorFlow.js loads, if it has not yet). */
  memory(): Promise<TrainingMemory>;
  /**
   * A node's output for one example `x` (model units): the run's weights when it trained this
   * graph, else the untrained ones `seed` draws. Loads TensorFlow.js if it is not loaded yet.
   */
  activations(doc: GraphDocument, seed: number, nodeId: string, x: Float32Array, preferBackend?: BackendName): Promise<NodeActivations>;
  /** Downloads model.json and model.weights.bin. */
  exportModel(name?: string): Promise<void>;
  /** model.json and its weights without downloading them (the ONNX export reads them); null without a model. */
  modelFiles(name?: string): Promise<ModelFilesPayload | null>;
  loadModel(files: File[], args: { settings: TrainingSettings; preferBackend?: BackendName }): Promise<void>;
  /**
   * Asks for the neuron view's weights of `doc` (the live model's, else the untrained graph's
   * with `seed`); loads TensorFlow.js if it is not loaded yet.
   */
  loadNeuronWeights(doc: GraphDocument, seed: number, preferBackend?: BackendName): Promise<void>;
  /** Sets one weight; the view and (for a finished run) the decision boundary refresh. Answers an error message, or null. */
  setNeuronWeight(doc: GraphDocument, seed: number, edit: WeightEdit): Promise<string | null>;
  /** Evaluates the model on the test split (after a stopped run, which skips it). */
  evaluate(): Promise<void>;
  /** Forgets the run's results (curves, evaluation) without touching the upload. */
  reset(): void;
  /** Loses the WebGL context on purpose (WEBGL_lose_context), to exercise the CPU fallback. */
  loseWebGLContext(): Promise<void>;
  /** Pins a kept run (a pinned run is never dropped to make room), or unpins it. */
  pinRun(id: number): void;
  removeRun(id: number): void;
  clearRuns(): void;
}

/** Mutable, non-React parts of the session. */
const live = {
  host: null as Promise<RunHost> | null,
  curves: emptyCurves(),
  boundary: null as Boundary | null,
  updates: [] as PerceptronUpdate[],
  neuronWeights: null as LayerWeights[] | null,
};

/** The neuron view's latest weights per Dense node (read them when `neuronVersion` changes). */
export function currentNeuronWeights(): LayerWeights[] | null {
  return live.neuronWeights;
}

/** Updates of the perceptron rule the panel lists, newest last. */
const KEPT_UPDATES = 12;

/** The latest updates of the perceptron rule, newest last. */
export function currentUpdates(): readonly PerceptronUpdate[] {
  return live.updates;
}

/** How long each of the perceptron rule's first updates stays on screen. */
export const PERCEPTRON_PACE_MS = 150;

/** The current curves (read them when `curvesVersion` changes). */
export function currentCurves(): Curves {
  return live.curves;
}

/** The latest decision boundary (read it when `boundaryVersion` changes). */
export function currentBoundary(): Boundary | null {
  return live.boundary;
}

/**
 * How often the panel takes the run's news (batches, epochs, boundary, weights): about 30 times
 * a second, as an animation. A small model ends tens of epochs a second; rendering the panel for
 * each message left the page seconds behind the worker on two cores.
 */
const UI_INTERVAL_MS = 33;

function infoOf(ds: Dataset): DatasetInfo {
  return { id: ds.id, title: ds.title, task: ds.task, featureShape: ds.featureShape, classNames: ds.classNames };
}

function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file's text (FileReader where Blob.text is missing, as in older browsers and jsdom). */
function readText(file: File): Promise<string> {
  if (typeof file.text === 'function') return file.text();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsText(file);
  });
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export const useTrainingSession = create<SessionState & SessionActions>()((set, get) => {
  let pending: Partial<SessionState> = {};
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** Batches UI updates to at most one per UI_INTERVAL_MS. */
  const soon = (patch: Partial<SessionState>) => {
    Object.assign(pending, patch);
    if (timer) return;
    timer = setTimeout(flush, UI_INTERVAL_MS);
  };
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const p = pending;
    pending = {};
    if (Object.keys(p).length) set(p);
  };

  /** The training host, created on first use: this is when TensorFlow.js loads. */
  const host = (prefer: BackendName = 'webgl'): Promise<RunHost> => {
    if (!live.host) {
      live.host = createHost(prefer).then(({ host: h, info }) => {
        set({ backend: info.backend, backendNotice: info.notice ?? null, where: h.where });
        h.onContextLost((msg) => set({ backend: 'cpu', backendNotice: msg }));
        return h;
      });
      live.host.catch(() => {
        live.host = null;
      });
    }
    return live.host;
  };

  /** The test evaluation of the run's model, with its progress; Stop skips it. */
  const evaluate = async (h: RunHost) => {
    const summary = get().end;
    set({ phase: 'evaluating', evalProgress: 0 });
    try {
      const evaluation = await h.evaluate((p) => soon({ evalProgress: p }));
      flush();
      if (!evaluation) {
        const note = 'The test evaluation was skipped: press Evaluate to run it.';
        set({ phase: 'finished', evalProgress: null, hasModel: true, modelName: null, end: summary && { ...summary, message: summary.message.includes(note) ? summary.message : `${summary.message} ${note}` } });
        return;
      }
      set({ evaluation, evaluationSource: 'run', hasModel: true, modelName: null, phase: 'finished', evalProgress: null, boundaryVersion: get().boundaryVersion + 1 });
    } catch (err) {
      flush();
      set({ phase: 'finished', evalProgress: null, end: summary && { ...summary, message: `${summary.message} Evaluation failed: ${message(err)}` } });
    }
  };

  const finish = (reason: EndReason, msg: string, diagnostics: Diagnostic[] = []) =>
    set({ phase: 'finished', detail: '', end: { reason, message: msg, restoredBest: false, examplesPerSecond: 0, elapsedMs: 0 }, startDiagnostics: diagnostics });

  return {
    backend: null,
    where: null,
    backendNotice: null,
    upload: null,
    uploadError: null,
    uploadProgress: null,
    phase: 'idle',
    detail: '',
    progress: null,
    epochs: [],
    end: null,
    startDiagnostics: [],
    evaluation: null,
    evaluationSource: null,
    dataset: null,
    plan: null,
    curvesVersion: 0,
    boundaryVersion: 0,
    rule: null,
    perceptron: null,
    evalProgress: null,
    neuronVersion: 0,
    health: null,
    hasModel: false,
    modelName: null,
    runs: [],

    async start({ doc, result, settings, preferBackend }) {
      const busy = get().phase;
      if (busy !== 'idle' && busy !== 'finished') return;
      live.curves = emptyCurves();
      live.boundary = null;
      live.updates = [];
      set({
        phase: 'preparing', detail: 'Loading TensorFlow.js…', progress: null, epochs: [], end: null, startDiagnostics: [],
        evaluation: null, evaluationSource: null, hasModel: false, modelName: null, plan: null, rule: null, perceptron: null, evalProgress: null,
        curvesVersion: get().curvesVersion + 1, boundaryVersion: get().boundaryVersion + 1,
        health: null,
      });
      showHealthMarks(null);
      let h: RunHost;
      let dataset: Dataset;
      try {
        h = await host(preferBackend);
        const inputShape = result.inputs.length === 1 ? result.nodes[result.inputs[0]]?.outputShape ?? null : null;
        dataset = await loadDataset(settings, get().upload, inputShape, { detail: (detail) => set({ detail }), progress: (p) => soon({ uploadProgress: p }) });
        flush();
        set({ uploadProgress: null });
      } catch (err) {
        set({ uploadProgress: null });
        return finish('error', message(err));
      }
      const check = checkRun(result, settings, infoOf(dataset), dataset.train.n);
      if (!check.plan) {
        const errors = check.diagnostics.filter((d) => d.severity === 'error');
        return finish('error', errors[0]?.message ?? 'The graph cannot be trained on this data set.', check.diagnostics);
      }
      const plan = check.plan;
      const curves = live.curves;
      set({ dataset, plan, rule: plan.rule, detail: 'Building the model…', startDiagnostics: check.diagnostics });
      let end;
      try {
        const paced = plan.rule === 'perceptron' ? PERCEPTRON_PACE_MS : 0;
        end = await h.start({ doc, settings, dataset, plan, boundaryGrid: dataset.kind === 'points' ? 48 : 0, perceptronPaceMs: paced }, {
          onBatch: (b) => {
            curves.x.push(b.epoch - 1 + b.batch / b.batchesPerEpoch);
            curves.loss.push(b.smoothLoss);
            curves.acc.push(b.smoothAcc ?? null);
            curves.epochLoss.push(null);
            curves.epochAcc.push(null);
            curves.valLoss.push(null);
            curves.valAcc.push(null);
            soon({ progress: b, curvesVersion: get().curvesVersion + 1 });
          },
          onEpoch: (e) => {
            const i = curves.x.length - 1;
            if (i >= 0) {
              curves.epochLoss[i] = e.loss;
              curves.epochAcc[i] = e.acc ?? null;
              curves.valLoss[i] = e.valLoss ?? null;
              curves.valAcc[i] = e.valAcc ?? null;
            }
            // Coalesced like the batches: a small model ends tens of epochs a second, and
            // rendering the panel for each one would leave the page behind the worker.
            soon({ epochs: [...(pending.epochs ?? get().epochs), e], curvesVersion: get().curvesVersion + 1 });
          },
          onState: (s) => {
            if (s === 'running' || s === 'paused' || s === 'stopping') set({ phase: s, detail: '' });
          },
          onBoundary: (probs, grid) => {
            live.boundary = { probs, grid };
            soon({ boundaryVersion: get().boundaryVersion + 1 });
          },
          onPerceptron: (update) => {
            live.updates = [...live.updates.slice(1 - KEPT_UPDATES), update];
            soon({ perceptron: update });
          },
          onWeights: (weights) => {
            live.neuronWeights = weights;
            soon({ neuronVersion: get().neuronVersion + 1 });
          },
          onHealth: (health) => {
            showHealthMarks(health.warnings);
            soon({ health });
          },
        });
      } catch (err) {
        flush();
        return finish('error', message(err));
      }
      flush();
      const summary: RunSummary = { reason: end.reason, message: end.message, best: end.best, restoredBest: end.restoredBest, examplesPerSecond: end.examplesPerSecond, elapsedMs: end.elapsedMs };
      const broken = end.reason === 'nan' || end.reason === 'diverged' || end.reason === 'error';
      // Finished and stopped runs join the comparison; a broken one has nothing to compare.
      if (!broken && end.history.length > 0) {
        set({ runs: keepRun(get().runs, { doc, settings, epochs: end.history, reason: end.reason, bestEpoch: end.bestEpoch, restoredBest: end.restoredBest }) });
      }
      if (broken) {
        set({ phase: 'finished', end: summary });
        return;
      }
      // Stop means stop: a stopped run keeps its model but does not start a long evaluation.
      if (end.reason === 'stopped') {
        set({ phase: 'finished', end: { ...summary, message: `${summary.message} The test evaluation was skipped: press Evaluate to run it.` }, hasModel: true, modelName: null });
        return;
      }
      set({ end: summary });
      await evaluate(h);
    },

    async evaluate() {
      if (get().phase !== 'finished' || !get().hasModel || !live.host) return;
      await evaluate(await live.host);
    },

    pause() {
      void live.host?.then((h) => h.pause());
    },
    resume() {
      void live.host?.then((h) => h.resume());
    },
    stop() {
      void live.host?.then((h) => h.stop());
    },

    async setCsv(file) {
      try {
        const table = parseCsv(await readText(file));
        set({ upload: { kind: 'csv', fileName: file.name, table }, uploadError: null });
      } catch (err) {
        set({ upload: null, uploadError: `${file.name}: ${message(err)}` });
      }
    },

    setImages(files) {
      const entries = files.map((f) => ({ file: f, path: (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name }));
      const top = entries[0]?.path.split('/')[0];
      set({ upload: { kind: 'images', entries, label: `${entries.length} files${top && entries[0].path.includes('/') ? ` in ${top}/` : ''}` }, uploadError: null });
    },

    clearUpload() {
      set({ upload: null, uploadError: null });
    },

    async predict(x, n) {
      if (!get().hasModel || !live.host) return null;
      return (await live.host).predict(x, n);
    },

    async memory() {
      return (await host()).memory();
    },

    async activations(doc, seed, nodeId, x, preferBackend) {
      return (await host(preferBackend)).activations(doc, seed, nodeId, x);
    },

    async loadNeuronWeights(doc, seed, preferBackend) {
      try {
        live.neuronWeights = await (await host(preferBackend)).weights(doc, seed);
      } catch {
        // No host (TensorFlow.js failed to load): the run bar says why when training starts.
        live.neuronWeights = null;
      }
      set({ neuronVersion: get().neuronVersion + 1 });
    },

    async setNeuronWeight(doc, seed, edit) {
      if (!live.host) return 'TensorFlow.js is not loaded yet.';
      const h = await live.host;
      try {
        live.neuronWeights = await h.setWeight(doc, seed, edit);
      } catch (err) {
        return message(err);
      }
      set({ neuronVersion: get().neuronVersion + 1 });
      // The boundary of a finished run follows the edit: one prediction over its lattice.
      const ds = get().dataset;
      if (get().hasModel && get().phase === 'finished' && ds?.kind === 'points' && live.boundary) {
        const g = live.boundary.grid;
        const probs = await h.predict(planeLattice(ds.domain ?? [-1, 1], ds.pointScale ?? 1, g), g * g);
        const k = probs.length / (g * g);
        live.boundary = { probs: Float32Array.from({ length: g * g }, (_, i) => probs[i * k + (k > 1 ? 1 : 0)]), grid: g };
        set({ boundaryVersion: get().boundaryVersion + 1 });
      }
      return null;
    },

    async modelFiles(name = 'model') {
      if (!get().hasModel || !live.host) return null;
      return (await live.host).exportFiles(`${name}.weights.bin`);
    },

    async exportModel(name = 'model') {
      if (!get().hasModel || !live.host) return;
      const files = await (await live.host).exportFiles(`${name}.weights.bin`);
      download(`${name}.json`, files.json, 'application/json');
      download(`${name}.weights.bin`, files.weights, 'application/octet-stream');
    },

    async loadModel(files, { settings, preferBackend }) {
      const busy = get().phase;
      if (busy !== 'idle' && busy !== 'finished') return;
      const json = files.find((f) => f.name.endsWith('.json'));
      if (!json || files.length < 2) return finish('error', 'Choose both files of a saved model: model.json and its .weights.bin.');
      live.curves = emptyCurves();
      live.boundary = null;
      set({
        phase: 'preparing', detail: 'Loading TensorFlow.js…', end: null, evaluation: null, startDiagnostics: [], progress: null, epochs: [],
        curvesVersion: get().curvesVersion + 1, boundaryVersion: get().boundaryVersion + 1,
        health: null,
      });
      try {
        const h = await host(preferBackend);
        const dataset = await loadDataset(settings, get().upload, null, { detail: (detail) => set({ detail }), progress: () => undefined });
        set({ phase: 'evaluating', detail: 'Evaluating on the test split…' });
        const { evaluation, plan } = await h.loadFiles(files, dataset);
        set({
          evaluation, evaluationSource: 'file', hasModel: true, modelName: json.name, phase: 'finished', detail: '', dataset, plan,
          end: { reason: 'completed', message: `Loaded ${json.name} and evaluated it on the test split of ${dataset.title}.`, restoredBest: false, examplesPerSecond: 0, elapsedMs: 0 },
        });
      } catch (err) {
        finish('error', `Could not load the model: ${message(err)}`);
      }
    },

    pinRun(id) {
      set({ runs: get().runs.map((r) => (r.id === id ? { ...r, pinned: !r.pinned } : r)) });
    },
    removeRun(id) {
      set({ runs: get().runs.filter((r) => r.id !== id) });
    },
    clearRuns() {
      set({ runs: [] });
    },

    async loseWebGLContext() {
      await (await host()).loseContext();
    },

    reset() {
      const phase = get().phase;
      if (phase !== 'idle' && phase !== 'finished') return;
      live.curves = emptyCurves();
      live.boundary = null;
      live.updates = [];
      set({ phase: 'idle', rule: null, perceptron: null, evalProgress: null, progress: null, epochs: [], end: null, evaluation: null, evaluationSource: null, hasModel: false, plan: null, startDiagnostics: [], curvesVersion: get().curvesVersion + 1, boundaryVersion: get().boundaryVersion + 1, health: null });
      showHealthMarks(null);
    },
  };
});
