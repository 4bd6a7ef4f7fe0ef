/**
 * Loading TensorFlow.js: without WebGL (here, Node) the CPU is used, with a notice that says
 * so; the custom layers are registered for loading saved models.
 */
import { loadTf } from '@/lib/training/tf';

describe('loadTf', () => {
  it('falls back to the CPU with a visible notice when WebGL is missing', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const h = await loadTf();
    expect(h.backend).toBe('cpu');
    expect(h.tf.getBackend()).toBe('cpu');
    expect(h.notice).toMatch(/WebGL is not available.*runs on the CPU/);
    expect(await loadTf()).toBe(h);
    expect(h.tf.serialization.SerializationMap.getMap().classNameMap.Maxout).toBeDefined();
    warn.mockRestore();
    log.mockRestore();
  });
});
