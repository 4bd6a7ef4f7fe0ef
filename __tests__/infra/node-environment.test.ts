// Node-environment tests share jest.setup.ts; it must not install DOM globals here.
describe('node test environment', () => {
  it('has no window and no DOM polyfills', () => {
    expect(typeof window).toBe('undefined');
    expect((globalThis as Record<string, unknown>).ResizeObserver).toBeUndefined();
  });

  it('resolves the @/ path alias', async () => {
    const pkg = (await import('@/package.json')).default as { name: string };
    expect(pkg.name).toBe('layerboard');
  });
});
