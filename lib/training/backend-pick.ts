/**
 * The "auto" backend choice, its pure part: which backend a run trains on given each
 * backend's measured examples per second on the run's own model, the key a measurement is
 * remembered under for the page session, and the sentence the training panel shows about it.
 * The measuring itself needs tfjs and lives in ./backend-measure.ts.
 */
import { layerByType, type CompileResult } from '@/graph-compiler';
import { graphKey } from './graph-key';
import { denseChain } from './neurons';
import type { BackendName } from './tf';

/** Examples per second per backend, as measured (a backend missing here was not measured). */
export type BackendSpeeds = Partial<Record<BackendName, number>>;

/** What the training panel shows about the backend of a run. */
export interface BackendReport {
  /** The backend the run trains on. */
  picked: BackendName;
  /**
   * `measured`: auto, measured at this run's start; `cached`: auto, measured at an earlier
   * run of the same architecture and batch size; `forced`: the person chose the backend;
   * `only`: auto, but only the CPU is available here.
   */
  how: 'measured' | 'cached' | 'forced' | 'only';
  /** Examples per second of each backend measured on this model, before the run. */
  speeds: BackendSpeeds;
  /** What the model is, for the sentence: "2-8-8-1 network", "convnet", "network". */
  model: string;
  batchSize: number;
}

export const BACKEND_TITLES: Record<BackendName, string> = { cpu: 'CPU', webgl: 'WebGL' };

/**
 * The faster measured backend; WebGL on a tie (and when nothing was measured), since it is
 * what tfjs itself prefers.
 */
export function pickBackend(speeds: BackendSpeeds): BackendName {
  const cpu = speeds.cpu ?? 0;
  const webgl = speeds.webgl ?? 0;
  if (!(cpu > 0) && !(webgl > 0)) return 'webgl';
  return cpu > webgl ? 'cpu' : 'webgl';
}

/**
 * The key a measurement is remembered under: the graph's architecture (layer types, their
 * parameters and wiring, not its positions or names) and the batch size, which is all a
 * batch's cost depends on.
 */
export function pickKey(result: CompileResult, batchSize: number): string {
  return `${batchSize} ${graphKey(result)}`;
}

/**
 * How the panel names the model: a chain of dense layers by its widths ("2-8-8-1 network"),
 * a graph with convolutions "convnet", anything else "network".
 */
export function modelLabel(result: CompileResult): string {
  if (result.order.some((id) => layerByType(result.nodes[id].type)?.category === 'convolution')) return 'convnet';
  const { chain } = denseChain(result, Infinity);
  return chain ? `${[chain.inputs, ...chain.layers.map((l) => l.units)].join('-')} network` : 'network';
}

function ratioText(r: number): string {
  return r >= 10 ? r.toFixed(0) : r.toFixed(1);
}

/**
 * Why the run trains where it does, in one sentence: "CPU is 4.2× faster than WebGL for this
 * 2-8-8-1 network: …". Null when there is nothing to compare.
 */
export function pickReason(report: BackendReport): string | null {
  const { cpu, webgl } = report.speeds;
  const where = `for this ${report.model}`;
  if (report.how === 'only') return 'Only the CPU is available here (no WebGL), so there was nothing to compare.';
  if (!(cpu && cpu > 0) || !(webgl && webgl > 0)) {
    if (report.how === 'forced') return `${BACKEND_TITLES[report.picked]} was chosen in the run bar, so the other backend was not measured: choose "auto" to compare both ${where}.`;
    return null;
  }
  const faster: BackendName = cpu > webgl ? 'cpu' : 'webgl';
  const slower: BackendName = faster === 'cpu' ? 'webgl' : 'cpu';
  const ratio = faster === 'cpu' ? cpu / webgl : webgl / cpu;
  const why =
    faster === 'cpu'
      ? 'small matrices cost more to send to the GPU and read back than to multiply'
      : 'its many large multiplications run in parallel on the GPU';
  const lead = ratio < 1.1 ? `${BACKEND_TITLES[faster]} and ${BACKEND_TITLES[slower]} are about as fast ${where}` : `${BACKEND_TITLES[faster]} is ${ratioText(ratio)}× faster than ${BACKEND_TITLES[slower]} ${where}: ${why}`;
  const tail = report.picked === faster ? '' : ` ${BACKEND_TITLES[report.picked]} was chosen in the run bar.`;
  return `${lead}.${tail}`;
}

/** The course's CPU vs GPU lesson in one sentence. */
export const CPU_GPU_LESSON =
  'A GPU wins when each step is a lot of arithmetic done in parallel (convolutions, wide layers, big batches); for a tiny network the fixed cost of every GPU call dominates, and the CPU is faster.';
