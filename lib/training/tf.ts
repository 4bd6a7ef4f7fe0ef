/**
 * Loads TensorFlow.js on first use (never with the page) and picks the backend: WebGL, or the
 * CPU with a notice when WebGL is missing, fails, or loses its context.
 */
import { registerCustomLayers, type TF } from '@/graph-compiler';

export type BackendName = 'webgl' | 'cpu';

export interface TfHandle {
  tf: TF;
  backend: BackendName;
  /** Why the CPU is used instead of WebGL, for a visible notice; undefined on WebGL. */
  notice?: string;
}

/** The notice when the browser has no WebGL (or has it turned off). */
export const NO_WEBGL_NOTICE = 'WebGL is not available in this browser, so training runs on the CPU: it works, but slowly.';

let loading: Promise<TfHandle> | null = null;
const lostListeners = new Set<(message: string) => void>();
let lostMessage: string | null = null;
let markLost: ((message: string) => void) | null = null;
/** Settles when the WebGL context is lost (never, on a page that keeps it). */
const lost = new Promise<string>((resolve) => {
  markLost = resolve;
});

/** WebGL's canvas as the tfjs webgl backend holds it (not in tfjs's public types). */
function webglCanvas(tf: TF): EventTarget | null {
  const backend = tf.backend() as unknown as { gpgpu?: { gl?: { canvas?: EventTarget } } };
  return backend.gpgpu?.gl?.canvas ?? null;
}

async function switchToCpu(tf: TF, notice: string): Promise<TfHandle> {
  await tf.setBackend('cpu');
  await tf.ready();
  return { tf, backend: 'cpu', notice };
}

async function init(prefer: BackendName): Promise<TfHandle> {
  const tf = (await import('@tensorflow/tfjs')) as unknown as TF;
  registerCustomLayers(tf);
  if (prefer === 'cpu') return switchToCpu(tf, 'Running on the CPU because it was asked for (backend=cpu).');
  // A software WebGL (SwiftShader, llvmpipe) is still several times faster than tfjs's CPU
  // backend, so accept it rather than let tfjs refuse the context.
  tf.env().set('SOFTWARE_WEBGL_ENABLED', true);
  let ok = false;
  try {
    ok = await tf.setBackend('webgl');
    await tf.ready();
  } catch {
    ok = false;
  }
  if (!ok || tf.getBackend() !== 'webgl') {
    return switchToCpu(tf, NO_WEBGL_NOTICE);
  }
  const canvas = webglCanvas(tf);
  canvas?.addEventListener('webglcontextlost', () => {
    if (lostMessage) return;
    lostMessage = 'The WebGL context was lost (the GPU was reset or reclaimed), so training moved to the CPU: start the run again.';
    // A read of a lost context's results never completes: the run in flight races this.
    markLost?.(lostMessage);
    void switchToCpu(tf, lostMessage).then((h) => {
      loading = Promise.resolve(h);
      for (const fn of lostListeners) fn(lostMessage!);
    });
  });
  return { tf, backend: 'webgl' };
}

/**
 * TensorFlow.js with its backend ready. The first call loads the library (about 1 MB of
 * script); later calls return the same handle, or the CPU one after a lost WebGL context.
 */
export function loadTf(prefer: BackendName = 'webgl'): Promise<TfHandle> {
  if (!loading) {
    loading = init(prefer);
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

/** Calls `fn` when the WebGL context is lost; returns an unsubscribe function. */
export function onContextLost(fn: (message: string) => void): () => void {
  lostListeners.add(fn);
  return () => lostListeners.delete(fn);
}

/** Loses the WebGL context through WEBGL_lose_context (tests of the fallback use it). */
export async function loseWebGLContext(): Promise<void> {
  const h = await loadTf();
  const backend = h.tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } };
  backend.gpgpu?.gl?.getExtension('WEBGL_lose_context')?.loseContext();
}

/**
 * Resolves with the message when the WebGL context is lost. A batch in flight then never
 * finishes (its read-back waits on a fence of the dead context), so a run races this promise.
 */
export function whenContextLost(): Promise<string> {
  return lost;
}

/** The message of a lost WebGL context since the page loaded, or null. */
export function contextLostMessage(): string | null {
  return lostMessage;
}
