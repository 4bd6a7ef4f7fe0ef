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
