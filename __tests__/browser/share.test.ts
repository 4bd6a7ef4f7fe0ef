/**
 * Sharing in a real browser, on the share lab page (app/lab/share), where the Share menu, the
 * file drop zone and the link opener are mounted as the editor mounts them: a link opens the
 * design it carries and undo brings the previous graph back; broken links only give their
 * message and leave the graph as it was; the copied link, the .json download and the PNG/SVG
 * exports all carry the design, and dropping the PNG back on the canvas opens it.
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

async function currentDoc(page: Page): Promise<GraphDocument> {
  return JSON.parse((await page.getByTestId('lab-doc-json').textContent()) ?? 'null');
}

describeBrowser('share links, files and images', (app) => {
  const lenet = payloadOf(fixture('lenet5'));

  it('a link opens its design; undo brings back the previous graph; the fragment is dropped', async () => {
    const page = await app.newPage();
    const errors = watchConsoleErrors(page);
    await page.goto(app.url('/lab/share'));
    await page.getByTestId('lab-doc-name').getByText('Lab start').waitFor();
    const before = await currentDoc(page);

    await page.evaluate((p) => { window.location.hash = `g=${p}`; }, lenet);
    await page.getByTestId('lab-doc-name').getByText('LeNet-5').waitFor();
    expect(await page.getByTestId('lab-node-count').textContent()).toBe('9 nodes');
    expect(await page.getByTestId('lab-messages').textContent()).toMatch(/Opened "LeNet-5" from the link/);
    expect(new URL(page.url()).hash).toBe('');
    expect(compile(await currentDoc(page)).totals.totalParams).toBe(61_706);

    await page.getByTestId('lab-undo').click();
    expect(await currentDoc(page)).toEqual(before);
    expect(errors).toEqual([]);
  });

  it('opening the page with a link shows that design', async () => {
    const page = await app.newPage();
    await page.goto(app.url(`/lab/share#g=${payloadOf(fixture('resnet50'))}`));
    await page.getByTestId('lab-doc-name').getByText('ResNet50').waitFor();
    expect(await page.getByTestId('lab-node-count').textContent()).toBe('177 nodes');
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
    await page.goto(app.url('/lab/share'));
    await page.getByTestId('lab-doc-name').getByText('Lab start').waitFor();
    const before = await currentDoc(page);
    await page.evaluate((p) => { window.location.hash = `g=${p}`; }, payload);
    const alert = page.getByTestId('lab-messages').getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(message);
    expect(await alert.textContent()).toMatch(/Your graph was not changed\./);
    expect(await currentDoc(page)).toEqual(before);

    // Also when the page is opened with the broken link.
    const fresh = await app.newPage();
    await fresh.goto(app.url(`/lab/share#g=${payload}`));
    await fresh.getByTestId('lab-messages').getByRole('alert').waitFor();
    expect(await currentDoc(fresh)).toEqual(before);
    expect(errors).toEqual([]);
  });

  it('Copy share link puts a link to the same design on the clipboard', async () => {
    const context = await app.browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    try {
      const page = await context.newPage();
      await page.goto(app.url(`/lab/share#g=${lenet}`));
      await page.getByTestId('lab-doc-name').getByText('LeNet-5').waitFor();
      await page.getByTestId('share-button').click();
      await page.getByTestId('share-copy-link').click();
      await page.getByText(/Link copied/).waitFor();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      expect(copied.startsWith(app.url('/lab/share#g=1'))).toBe(true);
      const back = decodeLink(copied);
      expect(back.ok && back.doc).toEqual(await currentDoc(page));
    } finally {
      await context.close();
    }
  });

  it('Download .json, Export PNG and SVG carry the design; dropping the PNG opens it', async () => {
    const page = await app.newPage();
    const errors = watchConsoleErrors(page);
    await page.goto(app.url(`/lab/share#g=${lenet}`));
    await page.getByTestId('lab-doc-name').getByText('LeNet-5').waitFor();
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

    // Back to another graph, then drop the PNG on the canvas.
    await page.getByTestId('lab-undo').click();
    await page.getByTestId('lab-doc-name').getByText('Lab start').waitFor();
    await page.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'lenet-5.png', { type: 'image/png' }));
      const zone = document.querySelector('[data-testid="file-drop-zone"]')!;
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, png.bytes.toString('base64'));
    await page.getByTestId('lab-doc-name').getByText('LeNet-5').waitFor();
    expect(await currentDoc(page)).toEqual(shown);
    expect(await page.getByTestId('lab-messages').textContent()).toMatch(/Opened "LeNet-5" from lenet-5\.png/);
    expect(errors).toEqual([]);
  });

  it('dropping an image without a graph gives a message and changes nothing', async () => {
    const page = await app.newPage();
    await page.goto(app.url('/lab/share'));
    await page.getByTestId('lab-doc-name').getByText('Lab start').waitFor();
    const before = await currentDoc(page);
    const plain = readFileSync(path.join(__dirname, '..', '..', 'app', 'icon.svg'));
    await page.evaluate(async (text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], 'icon.svg', { type: 'image/svg+xml' }));
      document.querySelector('[data-testid="file-drop-zone"]')!.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, plain.toString('utf8'));
    await page.getByTestId('lab-messages').getByRole('alert').waitFor();
    expect(await page.getByTestId('lab-messages').getByRole('alert').textContent()).toMatch(/icon\.svg is an SVG image without a Layerboard graph/);
    expect(await currentDoc(page)).toEqual(before);
  });
});
