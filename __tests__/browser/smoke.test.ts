import { describeBrowser, saveScreenshot, watchConsoleErrors } from './harness';

describeBrowser('home page', (app) => {
  it('serves the Layerboard shell with no console errors', async () => {
    const page = await app.newPage();
    const errors = watchConsoleErrors(page);

    const response = await page.goto(app.url('/'), { waitUntil: 'networkidle' });
    expect(response?.status()).toBe(200);

    expect(await page.title()).toBe('Layerboard');
    const heading = page.locator('main h1');
    await heading.waitFor();
    expect((await heading.textContent())?.trim()).toBe('Layerboard');

    const file = await saveScreenshot(page, 'home');
    expect(file).toMatch(/test-results[\\/]home\.png$/);
    expect(errors).toEqual([]);
  });
});

describeBrowser('first page load', (app) => {
  it('keeps TensorFlow.js out until a run starts, with the training panel already on the page', async () => {
    const page = await app.newPage();
    const scripts: { url: string; hasTfjs: boolean }[] = [];
    const reads: Promise<void>[] = [];
    page.on('response', (r) => {
      if (!r.url().endsWith('.js')) return;
      // WEBGL_VERSION is a flag name only tfjs's own code contains.
      reads.push(r.text().then((t) => { scripts.push({ url: r.url(), hasTfjs: t.includes('WEBGL_VERSION') }); }, () => undefined));
    });
    await page.goto(app.url('/'), { waitUntil: 'networkidle' });
    await page.getByTestId('dataset-select').waitFor({ state: 'attached' });
    await page.waitForLoadState('networkidle');
    await Promise.all(reads);
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((s) => s.hasTfjs).map((s) => s.url)).toEqual([]);
    expect(await page.getByTestId('backend').getAttribute('data-backend')).toBe('none');
  });
});
