/**
 * Where training runs. Usually in a Web Worker (WebGL through an OffscreenCanvas), so that the
 * page never waits on a batch, on shader compilation or on the CPU fallback; on the page's main
 * thread when the browser has no workers, or WebGL only on the page (the run then yields
 * between batches). Both hosts drive the same TrainingEngine.
 *
 * The backend a run uses follows the person's choice (auto, WebGL, CPU), read when each run
 * starts: changing it between runs moves training to a fresh host on that backend. Under
 * "auto" the worker has both backends, and each run trains on the one that trained a few
 * batches of its own model faster (measured once per architecture and batch size, and
 * remembered for the page session).
 */
import { create } from 'zustand';
import type { Dataset } from '@/lib/datasets/types';
import { TrainingEngine, type LoadOutcome, type ModelFilesPayload, type StartRequest, type TrainingMemory } from './engine';
import type { Evaluation, RunEnd, RunListener } from './run';
import { contextLostMessage, loadTf, loseWebGLContext, onContextLost, whenContextLost, type BackendName } from './tf';
import type { InitReply, ReplyOf, WorkerEvent, WorkerRequest } from './worker/protocol';
import type { NodeActivations } from './activations';
import { compile, type GraphDocument } from '@/graph-compiler';
import { modelLabel, pickBackend, pickKey, type BackendReport, type BackendSpeeds } from './backend-pick';
import type { LayerWeights } from './neurons';
import type { WeightEdit } from './neuron-weights';

/**
 * Which backend runs train on: `auto` is the faster of WebGL and the CPU, measured on the run's
 * model (the CPU with a notice when WebGL is missing or lost); `webgl` refuses to train without
 * WebGL; `cpu` always uses the CPU.
 */
export type BackendChoice = 'auto' | 'webgl' | 'cpu';

/** The backend choice (one per page); the run bar shows and sets it. */
export const useBackendChoice = create<{ choice: BackendChoice; setChoice(choice: BackendChoice): void }>()((set) => ({
  choice: 'auto',
  setChoice: (choice) => set({ choice }),
}));

/**
 * The Backend choice a page address asks for: `?backend=cpu` (or `webgl`, `auto`) sets the run
 * bar's choice when the editor opens, e.g. to compare with a machine whose WebGL misbehaves.
 * Null when the address does not ask, or asks for something else.
 */
export function backendFromQuery(search: string): BackendChoice | null {
  const value = new URLSearchParams(search).get('backend')?.toLowerCase();
  return value === 'cpu' || value === 'webgl' || value === 'auto' ? value : null;
}

/**
 * The backend of the current (or last) run and why: each backend's measured examples per
 * second on its model; `measuring` while "auto" measures them at a run's start.
 */
export const useBackendReport = create<{ report: BackendReport | null; measuring: boolean }>()(() => ({ report: null, measuring: false }));

/** Measurements of "auto" for the page session, by `pickKey` (architecture and batch size). */
const measured = new Map<string, { picked: BackendReport['picked']; speeds: BackendSpeeds }>();

/** The backend a choice asks tfjs for first. */
export function preferredBackend(choice: BackendChoice): BackendName {
  return choice === 'cpu' ? 'cpu' : 'webgl';
}

/** The error of a run that must use WebGL where there is none. */
export const WEBGL_REQUIRED_MESSAGE = 'WebGL is not available here, and Backend is set to WebGL: choose "auto" or "CPU" to train on the CPU.';

/** What a host reports when a run moved it to another backend. */
export interface BackendChange extends InitReply {
  where: 'worker' | 'page';
}

const backendListeners = new Set<(change: BackendChange) => void>();

/** Calls `fn` when a run starts on another backend than the last one; returns an unsubscribe. */
export function onBackendChange(fn: (change: BackendChange) => void): () => void {
  backendListeners.add(fn);
  return () => backendListeners.delete(fn);
}

export interface RunHost {
  readonly where: 'worker' | 'page';
  init(prefer: BackendName): Promise<InitReply>;
  start(req: StartRequest, listener: RunListener): Promise<RunEnd>;
  /** Examples per second of the run `req` describes on each of `backends` (no run starts). */
  measure(req: StartRequest, backends: BackendName[]): Promise<BackendSpeeds>;
  pause(): void;
  resume(): void;
  stop(): void;
  /** The test evaluation, with its progress; null when `stop()` skipped it. */
  evaluate(onProgress?: (fraction: number) => void): Promise<Evaluation | null>;
  predict(x: Float32Array, n: number): Promise<Float32Array>;
  /** The host's tf.memory() tensor count and bytes (a view that closes brings them back). */
  memory(): Promise<TrainingMemory>;
  /** A node's output for one example (the run's weights, else the untrained graph's with `seed`). */
  activations(doc: GraphDocument, seed: number, nodeId: string, x: Float32Array): Promise<NodeActivations>;
  /** The neuron view's weights of a small dense chain (the live model's, else the untrained graph's); null for other graphs. */
  weights(doc: GraphDocument, seed: number): Promise<LayerWeights[] | null>;
  /** Sets one weight and answers all of them. */
  setWeight(doc: GraphDocument, seed: number, edit: WeightEdit): Promise<LayerWeights[]>;
  exportFiles(weightsFileName: string): Promise<ModelFilesPayload>;
  loadFiles(files: File[], dataset: Dataset): Promise<LoadOutcome>;
  /** Calls `fn` when WebGL's context is lost and training moves to the CPU. */
  onContextLost(fn: (message: string) => void): void;
  /** Loses the WebGL context on purpose, to exercise the fallback. */
  loseContext(): Promise<void>;
  dispose(): void;
}

type Pending = { resolve(value: unknown): void; reject(err: Error): void };

/** Training in a dedicated worker. */
export class WorkerHost implements RunHost {
  readonly where = 'worker';
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private listener: RunListener | null = null;
  private evalProgress: ((fraction: number) => void) | null = null;
  private lost: ((message: string) => void) | null = null;

  constructor() {
    this.worker = new Worker(new URL('./worker/training.worker.ts', import.meta.url), { type: 'module', name: 'layerboard-training' });
    this.worker.onmessage = (e: MessageEvent<WorkerEvent>) => this.receive(e.data);
    this.worker.onerror = (e) => {
      const err = new Error(`The training worker failed: ${e.message || 'unknown error'}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
  }

  private receive(msg: WorkerEvent): void {
    switch (msg.type) {
      case 'reply':
      case 'fail': {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.type === 'reply') p?.resolve(msg.value);
        else p?.reject(new Error(msg.message));
        return;
      }
      case 'batch':
        return this.listener?.onBatch?.(msg.log);
      case 'epoch':
        return this.listener?.onEpoch?.(msg.log);
      case 'state':
        return this.listener?.onState?.(msg.state);
      case 'boundary':
        return this.listener?.onBoundary?.(msg.probs, msg.grid);
      case 'perceptron':
        return this.listener?.onPerceptron?.(msg.update);
      case 'weights':
        return this.listener?.onWeights?.(msg.weights);
      case 'health':
        return this.listener?.onHealth?.(msg.report);
      case 'eval-progress':
        return this.evalProgress?.(msg.fraction);
      case 'context-lost':
        return this.lost?.(msg.message);
    }
  }

  private request<K extends WorkerRequest['type']>(msg: Omit<Extract<WorkerRequest, { type: K }>, 'id'>, transfer: Transferable[] = []): Promise<ReplyOf[K]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...msg, id }, transfer);
    });
  }

  init(prefer: BackendName): Promise<InitReply> {
    return this.request<'init'>({ type: 'init', prefer });
  }

  async start(req: StartRequest, listener: RunListener): Promise<RunEnd> {
    this.listener = listener;
    try {
      return await this.request<'start'>({ type: 'start', req });
    } finally {
      this.listener = null;
    }
  }

  measure(req: StartRequest, backends: BackendName[]): Promise<BackendSpeeds> {
    return this.request<'measure'>({ type: 'measure', req, backends });
  }

  pause(): void {
    this.worker.postMessage({ type: 'pause' });
  }

  resume(): void {
    this.worker.postMessage({ type: 'resume' });
  }

  stop(): void {
    this.worker.postMessage({ type: 'stop' });
  }

  async evaluate(onProgress?: (fraction: number) => void): Promise<Evaluation | null> {
    this.evalProgress = onProgress ?? null;
    try {
      return await this.request<'evaluate'>({ type: 'evaluate' });
    } finally {
      this.evalProgress = null;
    }
  }

  predict(x: Float32Array, n: number): Promise<Float32Array> {
    return this.request<'predict'>({ type: 'predict', x, n });
  }

  memory(): Promise<TrainingMemory> {
    return this.request<'memory'>({ type: 'memory' });
  }

  activations(doc: GraphDocument, seed: number, nodeId: string, x: Float32Array): Promise<NodeActivations> {
    return this.request<'activations'>({ type: 'activations', doc, seed, nodeId, x });
  }

  weights(doc: GraphDocument, seed: number): Promise<LayerWeights[] | null> {
    return this.request<'weights'>({ type: 'weights', doc, seed });
  }

  setWeight(doc: GraphDocument, seed: number, edit: WeightEdit): Promise<LayerWeights[]> {
    return this.request<'set-weight'>({ type: 'set-weight', doc, seed, edit });
  }

  exportFiles(weightsFileName: string): Promise<ModelFilesPayload> {
    return this.request<'export'>({ type: 'export', weightsFileName });
  }

  loadFiles(files: File[], dataset: Dataset): Promise<LoadOutcome> {
    return this.request<'load'>({ type: 'load', files, dataset });
  }

  onContextLost(fn: (message: string) => void): void {
    this.lost = fn;
  }

  async loseContext(): Promise<void> {
    await this.request<'lose-context'>({ type: 'lose-context' });
  }

  dispose(): void {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new Error('The training worker was stopped.'));
    this.pending.clear();
  }
}

/** Training on the page's main thread, yielding between batches. */
export class PageHost implements RunHost {
  readonly where = 'page';
  private engine: TrainingEngine | null = null;

  async init(prefer: BackendName): Promise<InitReply> {
    const h = await loadTf(prefer);
    this.engine ??= new TrainingEngine(h.tf, contextLostMessage, whenContextLost());
    return { backend: h.backend, notice: h.notice };
  }

  private need(): TrainingEngine {
    if (!this.engine) throw new Error('TensorFlow.js is not loaded yet.');
    return this.engine;
  }

  start(req: StartRequest, listener: RunListener): Promise<RunEnd> {
    return this.need().start(req, listener);
  }

  measure(req: StartRequest, backends: BackendName[]): Promise<BackendSpeeds> {
    return this.need().measureBackends(req, backends);
  }

  pause(): void {
    this.engine?.pause();
  }

  resume(): void {
    this.engine?.resume();
  }

  stop(): void {
    this.engine?.stop();
  }

  evaluate(onProgress?: (fraction: number) => void): Promise<Evaluation | null> {
    return this.need().evaluate(onProgress);
  }

  predict(x: Float32Array, n: number): Promise<Float32Array> {
    return this.need().predict(x, n);
  }

  async memory(): Promise<TrainingMemory> {
    return this.need().memory();
  }

  activations(doc: GraphDocument, seed: number, nodeId: string, x: Float32Array): Promise<NodeActivations> {
    return this.need().activations(doc, seed, nodeId, x);
  }

  weights(doc: GraphDocument, seed: number): Promise<LayerWeights[] | null> {
    return this.need().weights(doc, seed);
  }

  setWeight(doc: GraphDocument, seed: number, edit: WeightEdit): Promise<LayerWeights[]> {
    return this.need().setWeight(doc, seed, edit);
  }

  exportFiles(weightsFileName: string): Promise<ModelFilesPayload> {
    return this.need().exportFiles(weightsFileName);
  }

  loadFiles(files: File[], dataset: Dataset): Promise<LoadOutcome> {
    return this.need().loadFiles(files, dataset);
  }

  onContextLost(fn: (message: string) => void): void {
    onContextLost(fn);
  }

  async loseContext(): Promise<void> {
    await loseWebGLContext();
  }

  dispose(): void {
    this.engine?.dispose();
  }
}

/** The notice when the page's canvases have no WebGL (a browser setting or policy turns it off). */
export const PAGE_WEBGL_OFF_NOTICE = 'WebGL is turned off for pages in this browser (a setting or a policy), so training runs on the CPU: it works, but slowly.';

let pageWebGL: boolean | null = null;

/**
 * Whether the page itself can create a WebGL context, asked once per page (creating a context
 * blocks the page for 10 to 200 ms) and remembered.
 */
export function pageHasWebGL(): boolean {
  if (pageWebGL !== null) return pageWebGL;
  pageWebGL = probePageWebGL();
  return pageWebGL;
}

function probePageWebGL(): boolean {
  if (typeof WebGLRenderingContext === 'undefined' || typeof document === 'undefined') return false;
  try {
    const c = document.createElement('canvas');
    c.width = 1;
    c.height = 1;
    const gl = c.getContext('webgl2', { antialias: false, depth: false, stencil: false }) ?? c.getContext('webgl', { antialias: false, depth: false, stencil: false });
    // Give the probe's context back at once: a page may hold only a few.
    gl?.getExtension('WEBGL_lose_context')?.loseContext();
    return !!gl;
  } catch {
    return false;
  }
}

/**
 * The host for this page: a worker when it can train on WebGL there (or when the page has no
 * WebGL either, so that even the CPU fallback never blocks the page), else the page itself.
 *
 * Chromium's --disable-3d-apis (the Disable3DAPIs policy) turns WebGL off for the page's
 * canvases but not for an OffscreenCanvas in a worker, so when the worker gets WebGL the page is
 * asked too (once per page): if its canvases have none, a worker on the CPU trains instead and
 * the panel says why.
 */
async function createInnerHost(prefer: BackendName): Promise<{ host: RunHost; info: InitReply }> {
  if (typeof Worker !== 'undefined') {
    let worker: WorkerHost | null = null;
    try {
      worker = new WorkerHost();
      const info = await worker.init(prefer);
      if (info.backend === 'webgl' && !pageHasWebGL()) {
        // WebGL is off for pages but the worker got a context anyway: honour the setting.
        worker.dispose();
        worker = new WorkerHost();
        await worker.init('cpu');
        return { host: worker, info: { backend: 'cpu', notice: PAGE_WEBGL_OFF_NOTICE } };
      }
      if (info.backend === 'webgl' || prefer === 'cpu' || !pageHasWebGL()) return { host: worker, info };
    } catch {
      // No module workers here: train on the page.
    }
    worker?.dispose();
  }
  const host = new PageHost();
  return { host, info: await host.init(prefer) };
}

/**
 * A host that follows the backend choice: before each run it compares the choice with the
 * backend it has and, when they differ, replaces its host by one on the chosen backend.
 */
class SwitchingHost implements RunHost {
  private lost: ((message: string) => void) | null = null;

  constructor(
    private inner: RunHost,
    private info: InitReply,
    /** What the inner host was asked for (it may have fallen back to the CPU). */
    private prefer: BackendName,
  ) {
    inner.onContextLost((message) => this.contextLost(message));
  }

  get where(): 'worker' | 'page' {
    return this.inner.where;
  }

  private contextLost(message: string): void {
    this.info = { backend: 'cpu', notice: message };
    this.lost?.(message);
  }

  init(prefer: BackendName): Promise<InitReply> {
    return this.inner.init(prefer);
  }

  /** Moves to the chosen backend, if it is not the current one. */
  private async follow(choice: BackendChoice): Promise<void> {
    const want = preferredBackend(choice);
    if (want === this.prefer && (choice !== 'webgl' || this.info.backend === 'webgl')) return;
    this.inner.dispose();
    const { host, info } = await createInnerHost(want);
    host.onContextLost((message) => this.contextLost(message));
    this.inner = host;
    this.info = info;
    this.prefer = want;
    for (const fn of backendListeners) fn({ ...info, where: host.where });
  }

  async start(req: StartRequest, listener: RunListener): Promise<RunEnd> {
    const choice = useBackendChoice.getState().choice;
    await this.follow(choice);
    if (choice === 'webgl' && this.info.backend !== 'webgl') throw new Error(WEBGL_REQUIRED_MESSAGE);
    const backend = await this.pick(choice, req);
    for (const fn of backendListeners) fn({ ...this.info, backend, where: this.inner.where });
    return this.inner.start({ ...req, backend }, listener);
  }

  /**
   * The backend a run trains on: the chosen one, or under "auto" the faster one on this model
   * (measured now, or remembered from an earlier run of the same architecture and batch size).
   * The perceptron rule does not train by batches, so there is nothing to measure for it.
   */
  private async pick(choice: BackendChoice, req: StartRequest): Promise<BackendName> {
    const result = compile(req.doc);
    const base = { model: modelLabel(result), batchSize: req.settings.batchSize };
    const have = this.info.backend;
    if (req.plan.rule === 'perceptron') {
      useBackendReport.setState({ report: null, measuring: false });
      return have;
    }
    const key = pickKey(result, req.settings.batchSize);
    if (choice !== 'auto' || have !== 'webgl') {
      // A backend chosen in the run bar is not measured against the other; an earlier "auto"
      // run of the same model and batch size may have measured both, and the card shows them.
      const speeds = choice === 'auto' ? {} : (measured.get(key)?.speeds ?? {});
      useBackendReport.setState({ report: { ...base, picked: have, how: choice === 'auto' ? 'only' : 'forced', speeds }, measuring: false });
      return have;
    }
    let known = measured.get(key);
    const how = known ? 'cached' : 'measured';
    if (!known) {
      useBackendReport.setState({ report: null, measuring: true });
      try {
        const speeds = await this.inner.measure(req, ['webgl', 'cpu']);
        known = { picked: pickBackend(speeds), speeds };
        measured.set(key, known);
      } finally {
        useBackendReport.setState({ measuring: false });
      }
    }
    useBackendReport.setState({ report: { ...base, ...known, how }, measuring: false });
    return known.picked;
  }

  measure(req: StartRequest, backends: BackendName[]): Promise<BackendSpeeds> {
    return this.inner.measure(req, backends);
  }

  pause(): void {
    this.inner.pause();
  }

  resume(): void {
    this.inner.resume();
  }

  stop(): void {
    this.inner.stop();
  }

  evaluate(onProgress?: (fraction: number) => void): Promise<Evaluation | null> {
    return this.inner.evaluate(onProgress);
  }

  predict(x: Float32Array, n: number): Promise<Float32Array> {
    return this.inner.predict(x, n);
  }

  memory(): Promise<TrainingMemory> {
    return this.inner.memory();
  }

  activations(doc: GraphDocument, seed: number, nodeId: string, x: Float32Array): Promise<NodeActivations> {
    return this.inner.activations(doc, seed, nodeId, x);
  }

  weights(doc: GraphDocument, seed: number): Promise<LayerWeights[] | null> {
    return this.inner.weights(doc, seed);
  }

  setWeight(doc: GraphDocument, seed: number, edit: WeightEdit): Promise<LayerWeights[]> {
    return this.inner.setWeight(doc, seed, edit);
  }

  exportFiles(weightsFileName: string): Promise<ModelFilesPayload> {
    return this.inner.exportFiles(weightsFileName);
  }

  loadFiles(files: File[], dataset: Dataset): Promise<LoadOutcome> {
    return this.inner.loadFiles(files, dataset);
  }

  onContextLost(fn: (message: string) => void): void {
    this.lost = fn;
  }

  loseContext(): Promise<void> {
    return this.inner.loseContext();
  }

  dispose(): void {
    this.inner.dispose();
  }
}

/**
 * The training host of the page: created with the backend `prefer` (the choice when the first
 * run starts), it then follows the backend choice from run to run.
 */
export async function createHost(prefer: BackendName): Promise<{ host: RunHost; info: InitReply }> {
  const { host, info } = await createInnerHost(prefer);
  return { host: new SwitchingHost(host, info, prefer), info };
}
