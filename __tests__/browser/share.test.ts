/**
 * Sharing in the editor, in a real browser: a link opens the design it carries and undo brings
 * the previous graph back; broken links only give their message and leave the graph as it was;
 * the copied link, the .json download, the Keras and tfjs exports and the PNG/SVG images all
 * carry the design, and dropping the PNG back on the canvas opens it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { compile, type GraphDocument } from '@/graph-compiler';
import { documentTextFromSvg } from '@/lib/share/file';
import { decodeLink, encodeLink, packPayload } from '@/lib/share/link';
import { documentTextFromPng, isPng } from '@/lib/share/png-text';
import { describeBrowser, RESULTS_DIR, saveScreenshot, watchConsoleErrors } from './harness';

const fixture = (name: string): GraphDocument =>
  JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', `${name}.json`), 'utf8'));

const payloadOf = (doc: GraphDocument) => {
  const link = encodeLink(doc);
  if (!link.ok) throw new Error(link.message);
  return link.payload;
};

/** A small graph to start from, so that "unchanged" means something. */
const START: GraphDocument = {
  format: 'layerboard.graph',
  version: 1,
  name: 'Share start',
  nodes: [
    { id: 'input', type: 'Input', params: { shape: [2] }, position: { x: 0, y: 0 } },
    { id: 'hidden', type: 'Dense', params: { units: 8, activation: 'relu' }, position: { x: 0, y: 140 } },
    { id: 'output', type: 'Dense', params: { units: 1, activation: 'sigmoid' }, position: { x: 0, y: 280 } },
  ],
  edges: [{ source: 'input', target: 'hidden' }, { source: 'hidden', target: 'output' }],
};

type Hooked = Window & { __layerboard: { store: { getState(): { doc: GraphDocument } }; openDocument(d: GraphDocument): Promise<void> } };

async function currentDoc(page: Page): Promise<GraphDocument> {
  return page.evaluate(() => (window as unknown as Hooked).__layerboard.store.getState().doc);
}

/** Waits until the editor shows the document named `name`. */
async function shows(page: Page, name: string): Promise<void> {
  await page.waitForFunction((n) => (window as unknown as Hooked).__layerboard?.store.getState().doc.name === n, name, { timeout: 15_000 });
}

/** Opens the editor (with an optional `#g=` fragment) once it has restored and is ready. */
async function openEditor(page: Page, url: string, start = true): Promise<void> {
  await page.goto(url);
  await page.locator('main[data-ready="true"]').waitFor();
  if (start) {
    await page.evaluate((d) => (window as unknown as Hooked).__layerboard.openDocument(d), START);
    await shows(page, 'Share start');
  }
}

const toasts = (page: Page) => page.getByTestId('toasts');

describeBrowser('share links, files and images', (app) => {
  const lenet = payloadOf(fixture('lenet5'));

  it('a link opens its design; undo brings back the previous graph; the fragment is dropped', async () => {
    const page = await app.newPage();
    const errors = watchConsoleErrors(page);
    await openEditor(page, app.url('/'));
    const before = await currentDoc(page);

    await page.evaluate((p) => { window.location.hash = `g=${p}`; }, lenet);
    await shows(page, 'LeNet-5');
    await toasts(page).getByText(/Opened "LeNet-5" from the link/).waitFor();
    expect(await page.locator('.react-flow__node').count()).toBe(9);
    expect(await page.getByTestId('total-params').textContent()).toBe('61,706');
    expect(new URL(page.url()).hash).toBe('');
    expect(compile(await currentDoc(page)).totals.totalParams).toBe(61_706);

    await page.getByTestId('undo').click();
    await shows(page, 'Share start');
    expect(await currentDoc(page)).toEqual(before);
    expect(errors).toEqual([]);
  });

  it('opening the page with a link shows that design', async () => {
    const page = await app.newPage();
    await openEditor(page, app.url(`/#g=${payloadOf(fixture('resnet50'))}`), false);
    await shows(page, 'ResNet50');
    expect((await currentDoc(page)).nodes.length).toBe(177);
    expect(await page.getByTestId('total-params').textContent()).toBe('25,636,712');
    await page.waitForTimeout(500);
    await saveScreenshot(page, 'share-resnet50-from-link');
  });

  const broken: [string, string, RegExp][] = [
    ['truncated', lenet.slice(0, 60), /cut short/],
    ['altered', `${lenet.slice(0, 50)}${lenet[50] === 'A' ? 'B' : 'A'}${lenet.slice(51)}`, /damaged: some of its characters were changed/],
    ['wrong version', `5${lenet.slice(1)}`, /newer Layerboard \(link format 5\)/],
    ['not base64', `${lenet.slice(0, 30)}%24${lenet.slice(30)}`, /contains "\$"/],
    ['oversized', packPayload(new Uint8Array(4 << 20)), /unpacks to more than 1,048,576 bytes/],
  ];

  it.each(broken)('%s link: its message, and the graph is untouched', async (_name, payload, message) => {
    const page = await app.newPage();
    const errors = watchConsoleErrors(page);
    await openEditor(page, app.url('/'));
    const before = await currentDoc(page);
    await page.evaluate((p) => { window.location.hash = `g=${p}`; }, payload);
    const alert = toasts(page).getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(message);
    expect(await alert.textContent()).toMatch(/Your graph was not changed\./);
    expect(await currentDoc(page)).toEqual(before);

    // Also when the page is opened with the broken link: the autosaved graph stays.
    await page.waitForTimeout(1200); // autosave settles
    const fresh = await page.context().newPage();
    await fresh.goto(app.url(`/#g=${payload}`));
    await toasts(fresh).getByRole('alert').waitFor();
    expect(await currentDoc(fresh)).toEqual(before);
    expect(errors).toEqual([]);
  });

  it('Copy share link puts a link to the same design on the clipboard', async () => {
    const context = await app.browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    try {
      const page = await context.newPage();
      await openEditor(page, app.url(`/#g=${lenet}`), false);
      await shows(page, 'LeNet-5');
      await page.getByTestId('share-button').click();
      await page.getByTestId('share-copy-link').click();
      await page.getByText(/Link copied/).waitFor();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      expect(copied.startsWith(app.url('/#g=1'))).toBe(true);
      const back = decodeLink(copied);
      expect(back.ok && back.doc).toEqual(await currentDoc(page));
    } finally {
      await context.close();
    }
  });

  it('Download .json, Export PNG and SVG carry the design; dropping the PNG opens it', async () => {
    const page = await app.newPage();
    const errors = watchConsoleErrors(page);
    await openEditor(page, app.url('/'));
    await page.evaluate((p) => { window.location.hash = `g=${p}`; }, lenet);
    await shows(page, 'LeNet-5');
    const shown = await currentDoc(page);

    const download = async (item: string): Promise<{ name: string; bytes: Buffer }> => {
      await page.getByTestId('share-button').click();
      const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`share-${item}`).click()]);
      const file = await d.path();
      return { name: d.suggestedFilename(), bytes: readFileSync(file) };
    };

    const json = await download('download-json');
    expect(json.name).toBe('lenet-5.json');
    expect(JSON.parse(json.bytes.toString('utf8'))).toEqual(shown);

    const png = await download('export-png');
    expect(png.name).toBe('lenet-5.png');
    expect(isPng(png.bytes)).toBe(true);
    expect(png.bytes.length).toBeGreaterThan(5_000);
    expect(JSON.parse(documentTextFromPng(png.bytes)!)).toEqual(shown);
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(path.join(RESULTS_DIR, 'share-export.png'), png.bytes);

    const svg = await download('export-svg');
    expect(svg.name).toBe('lenet-5.svg');
    expect(svg.bytes.toString('utf8')).toMatch(/^<svg/);
    expect(JSON.parse(documentTextFromSvg(svg.bytes.toString('utf8'))!)).toEqual(shown);

    const model = await download('export-tfjs');
    expect(model.name).toBe('lenet-5.model.json');
    expect(JSON.parse(model.bytes.toString('utf8')).format).toBe('layers-model');

    const keras = await download('export-keras');
    expect(keras.name).toBe('lenet-5.py');
    expect(keras.bytes.toString('utf8')).toMatch(/keras\.Model\(/);
    expect(keras.bytes.toString('utf8')).toMatch(/61,706/);

    // Back to the previous graph, then drop the PNG on the canvas.
    await page.getByTestId('undo').click();
    await shows(page, 'Share start');
    await page.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'lenet-5.png', { type: 'image/png' }));
      const zone = document.querySelector('[data-testid="file-drop-zone"]')!;
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, png.bytes.toString('base64'));
    await shows(page, 'LeNet-5');
    expect(await currentDoc(page)).toEqual(shown);
    await toasts(page).getByText(/Opened "LeNet-5" from lenet-5\.png/).waitFor();
    expect(errors).toEqual([]);
  });

  it('dropping an image without a graph gives a message and changes nothing', async () => {
    const page = await app.newPage();
    await openEditor(page, app.url('/'));
    const before = await currentDoc(page);
    const plain = readFileSync(path.join(__dirname, '..', '..', 'app', 'icon.svg'));
    await page.evaluate(async (text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], 'icon.svg', { type: 'image/svg+xml' }));
      document.querySelector('[data-testid="file-drop-zone"]')!.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, plain.toString('utf8'));
    await toasts(page).getByRole('alert').waitFor();
    expect(await toasts(page).getByRole('alert').textContent()).toMatch(/icon\.svg is an SVG image without a Layerboard graph/);
    expect(await currentDoc(page)).toEqual(before);
  });
});
