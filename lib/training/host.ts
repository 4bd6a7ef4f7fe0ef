/**
 * Where training runs. Usually in a Web Worker (WebGL through an OffscreenCanvas), so that the
 * page never waits on a batch, on shader compilation or on the CPU fallback; on the page's main
 * thread when the browser has no workers, or WebGL only on the page (the run then yields
 * between batches). Both hosts drive the same TrainingEngine.
 */
import type { Dataset } from '@/lib/datasets/types';
import { TrainingEngine, type LoadOutcome, type ModelFilesPayload, type StartRequest } from './engine';
import type { Evaluation, RunEnd, RunListener } from './run';
import { contextLostMessage, loadTf, loseWebGLContext, onContextLost, whenContextLost, type BackendName } from './tf';
import type { InitReply, ReplyOf, WorkerEvent, WorkerRequest } from './worker/protocol';

export interface RunHost {
  readonly where: 'worker' | 'page';
  init(prefer: BackendName): Promise<InitReply>;
  start(req: StartRequest, listener: RunListener): Promise<RunEnd>;
  pause(): void;
  resume(): void;
  stop(): void;
  evaluate(): Promise<Evaluation>;
  predict(x: Float32Array, n: number): Promise<Float32Array>;
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

  pause(): void {
    this.worker.postMessage({ type: 'pause' });
  }

  resume(): void {
    this.worker.postMessage({ type: 'resume' });
  }

  stop(): void {
    this.worker.postMessage({ type: 'stop' });
  }

  evaluate(): Promise<Evaluation> {
    return this.request<'evaluate'>({ type: 'evaluate' });
  }

  predict(x: Float32Array, n: number): Promise<Float32Array> {
    return this.request<'predict'>({ type: 'predict', x, n });
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

  pause(): void {
    this.engine?.pause();
  }

  resume(): void {
    this.engine?.resume();
  }

  stop(): void {
    this.engine?.stop();
  }

  evaluate(): Promise<Evaluation> {
    return this.need().evaluate();
  }

  predict(x: Float32Array, n: number): Promise<Float32Array> {
    return this.need().predict(x, n);
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

/**
 * Whether the page itself can create a WebGL context. Only asked when the worker has no WebGL:
 * creating a context blocks the page for 10 to 200 ms, which a run should not pay for.
 */
function pageHasWebGL(): boolean {
  if (typeof WebGLRenderingContext === 'undefined') return false;
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
 * Note: Chromium's --disable-3d-apis (the Disable3DAPIs policy) turns WebGL off for the page's
 * canvases but not for an OffscreenCanvas in a worker; training then still runs on WebGL in
 * the worker. Asking the page first would cost every run a blocking context creation.
 */
export async function createHost(prefer: BackendName): Promise<{ host: RunHost; info: InitReply }> {
  if (typeof Worker !== 'undefined') {
    let worker: WorkerHost | null = null;
    try {
      worker = new WorkerHost();
      const info = await worker.init(prefer);
      if (info.backend === 'webgl' || prefer === 'cpu' || !pageHasWebGL()) return { host: worker, info };
    } catch {
      // No module workers here: train on the page.
    }
    worker?.dispose();
  }
  const host = new PageHost();
  return { host, info: await host.init(prefer) };
}
