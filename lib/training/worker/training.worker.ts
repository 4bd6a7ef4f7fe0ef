/**
 * The training worker: TensorFlow.js trains here, on WebGL through an OffscreenCanvas (or on the
 * CPU), so that neither a batch, nor shader compilation, nor a CPU fallback ever blocks the
 * page. It hosts one TrainingEngine and relays its events; see ./protocol.ts.
 */
import { TrainingEngine } from '../engine';
import { contextLostMessage, loadTf, loseWebGLContext, onContextLost, whenContextLost } from '../tf';
import type { ReplyOf, WorkerCommand, WorkerEvent, WorkerRequest } from './protocol';

const scope = self as unknown as { postMessage(msg: WorkerEvent, transfer?: Transferable[]): void; onmessage: ((e: MessageEvent) => void) | null };
let engine: TrainingEngine | null = null;

function post(msg: WorkerEvent, transfer: Transferable[] = []): void {
  scope.postMessage(msg, transfer);
}

onContextLost((message) => post({ type: 'context-lost', message }));

async function handle(msg: WorkerRequest): Promise<ReplyOf[WorkerRequest['type']]> {
  if (msg.type === 'init') {
    const h = await loadTf(msg.prefer);
    engine ??= new TrainingEngine(h.tf, contextLostMessage, whenContextLost());
    return { backend: h.backend, notice: h.notice };
  }
  if (!engine) throw new Error('The training worker is not initialised.');
  switch (msg.type) {
    case 'start':
      return engine.start(msg.req, {
        onBatch: (log) => post({ type: 'batch', log }),
        onEpoch: (log) => post({ type: 'epoch', log }),
        onState: (state) => post({ type: 'state', state }),
        onBoundary: (probs, grid) => post({ type: 'boundary', probs, grid }),
        onPerceptron: (update) => post({ type: 'perceptron', update }),
        onWeights: (weights) => post({ type: 'weights', weights }),
        onHealth: (report) => post({ type: 'health', report }),
      });
    case 'measure':
      return engine.measureBackends(msg.req, msg.backends);
    case 'evaluate':
      return engine.evaluate((fraction) => post({ type: 'eval-progress', fraction }));
    case 'predict':
      return engine.predict(msg.x, msg.n);
    case 'memory':
      return engine.memory();
    case 'activations':
      return engine.activations(msg.doc, msg.seed, msg.nodeId, msg.x);
    case 'weights':
      return engine.weights(msg.doc, msg.seed);
    case 'set-weight':
      return engine.setWeight(msg.doc, msg.seed, msg.edit);
    case 'export':
      return engine.exportFiles(msg.weightsFileName);
    case 'load':
      return engine.loadFiles(msg.files, msg.dataset);
    case 'lose-context':
      await loseWebGLContext();
      return null;
    case 'dispose':
      engine.dispose();
      return null;
  }
}

scope.onmessage = (e: MessageEvent<WorkerRequest | WorkerCommand>) => {
  const msg = e.data;
  if (msg.type === 'pause') return engine?.pause();
  if (msg.type === 'resume') return engine?.resume();
  if (msg.type === 'stop') return engine?.stop();
  handle(msg).then(
    (value) => post({ type: 'reply', id: msg.id, value }, value && typeof value === 'object' && 'weights' in value ? [(value as { weights: ArrayBuffer }).weights] : []),
    (err: unknown) => post({ type: 'fail', id: msg.id, message: err instanceof Error ? err.message : String(err) }),
  );
};
