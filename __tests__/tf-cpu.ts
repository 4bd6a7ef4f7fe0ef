/**
 * tfjs's CPU backend for a Node test file (or a describe block), ready before its tests, with
 * tfjs's one-time "install tfjs-node" banner, printed at the first tensor, kept out of the output.
 */
import type { TF } from '@/graph-compiler';

export function onCpuBackend(tf: TF): void {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    tf.dispose(tf.zeros([1]).add(1));
    warn.mockRestore();
  });
}
