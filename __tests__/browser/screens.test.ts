/**
 * Every screen, in real Chromium: at 1024×700 and 390×844 nothing is clipped, every node can
 * be reached and clicked, the page never scrolls sideways, and the panels collapse to give the
 * canvas the room; on a phone an opened link shows the graph, its totals and each node's
 * details. axe-core finds no serious or critical accessibility violation in either view.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { templateById } from '@/lib/templates';
import { encodeLink } from '@/lib/share/link';
import { describeBrowser, ROOT, saveScreenshot, watchConsoleErrors } from './harness';

const SIZES = [
  { name: 'laptop', width: 1024, height: 700 },
  { name: 'phone', width: 390, height: 844 },
] as const;

interface Box { left: number; right: number; top: number; bottom: number; width: number; height: number }

async function box(page: Page, selector: string): Promise<Box | null> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height };
  }, selector);
}

/** No sideways scroll of the page or of the app's own scroller, even a hidden one. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const widths = await page.evaluate(() => {
    const main = document.querySelector('main.lb-app') as HTMLElement;
    return { doc: document.documentElement.scrollWidth, win: window.innerWidth, main: main.scrollWidth, mainClient: main.clientWidth };
  });
  expect(widths.doc).toBeLessThanOrEqual(widths.win);
  expect(widths.main).toBeLessThanOrEqual(widths.mainClient);
}

/** Every control of the toolbar (and each total) lies wholly inside the window. */
async function expectToolbarInside(page: Page): Promise<void> {
  const outside = await page.evaluate(() => {
    const w = window.innerWidth;
    const els = [...document.querySelectorAll('.lb-toolbar > *, .lb-stat')] as HTMLElement[];
    return els.filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && (r.left < -0.5 || r.right > w + 0.5);
    }).map((el) => `${el.className}: ${el.textContent?.slice(0, 40)}`);
  });
  expect(outside).toEqual([]);
}

/** Columns of the summary table that do not fit its box. */
async function clippedSummary(page: Page): Promise<{ table: number; box: number; right: number; win: number }> {
  return page.evaluate(() => {
    const scroll = document.querySelector('.lb-summary__scroll') as HTMLElement;
    const table = scroll.querySelector('table') as HTMLElement;
    return { table: table.scrollWidth, box: scroll.clientWidth, right: scroll.getBoundingClientRect().right, win: window.innerWidth };
  });
}

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js') });
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  for (const v of found) process.stdout.write(`axe ${v.impact}: ${v.id} (${v.help}) at ${v.targets.join(' | ')}\n`);
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.targets.join(' | ')})`);
}

type Hook = { store: { getState(): { selectedNodes: Set<string>; doc: { nodes: { id: string }[] }; requestFit(): void } } };

describeBrowser('every screen', (app) => {
  for (const size of SIZES) {
    it(`at ${size.width}×${size.height}: nothing clipped, every node reachable, no sideways scroll, panels collapse`, async () => {
      const page = await app.newPage();
      const errors = watchConsoleErrors(page);
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.goto(app.url('/'), { waitUntil: 'networkidle' });
      await page.locator('main[data-ready="true"]').waitFor();
      await page.evaluate(() => (window as unknown as { __layerboard: { openTemplate(id: string): Promise<void> } }).__layerboard.openTemplate('lenet5'));
      await page.locator('.react-flow__node').first().waitFor();
      await page.waitForTimeout(600);

      await expectNoSidewaysScroll(page);
      await expectToolbarInside(page);
      const canvas = (await box(page, '.lb-canvas'))!;
      // The canvas keeps the room: most of the width on a phone, more than half on a laptop.
      expect(canvas.width).toBeGreaterThan(size.width * (size.name === 'phone' ? 0.9 : 0.5));
      expect(canvas.height).toBeGreaterThan(250);
      const summary = await clippedSummary(page);
      expect(summary.right).toBeLessThanOrEqual(summary.win + 0.5);
      if (size.name === 'laptop') expect(summary.table).toBeLessThanOrEqual(summary.box);
      await saveScreenshot(page, `screens-${size.name}`, { fullPage: false });

      // Every node: in view once the graph is fitted, and a click selects it.
      const ids = await page.evaluate(() => (window as unknown as { __layerboard: Hook }).__layerboard.store.getState().doc.nodes.map((n) => n.id));
      await page.evaluate(() => (window as unknown as { __layerboard: Hook }).__layerboard.store.getState().requestFit());
      await page.waitForTimeout(500);
      for (const id of ids) {
        const node = (await box(page, `.react-flow__node[data-id="${id}"]`))!;
        const cx = node.left + node.width / 2;
        const cy = node.top + node.height / 2;
        expect(cx).toBeGreaterThan(canvas.left);
        expect(cx).toBeLessThan(canvas.right);
        expect(cy).toBeGreaterThan(canvas.top);
        expect(cy).toBeLessThan(Math.min(canvas.bottom, size.height));
        await page.mouse.click(cx, cy);
        const selected = await page.evaluate(() => [...(window as unknown as { __layerboard: Hook }).__layerboard.store.getState().selectedNodes]);
        expect(selected).toEqual([id]);
        if (size.name === 'phone') {
          // Tapping a node opens its details over the canvas; closing them gives the canvas back.
          await page.getByTestId('side').waitFor();
          expect(await page.getByTestId('inspector').getAttribute('data-node-id')).toBe(id);
          await page.getByTestId('hide-inspector').click();
        }
      }

      // The panels collapse and the canvas takes the room; each comes back from its rail.
      if (size.name === 'laptop') {
        await page.getByTestId('hide-palette').click();
        await page.getByTestId('hide-inspector').click();
        await page.getByTestId('hide-summary').click();
        const wide = (await box(page, '.lb-canvas'))!;
        expect(wide.width).toBeGreaterThan(size.width - 100);
        expect(wide.height).toBeGreaterThan(canvas.height + 150);
        await saveScreenshot(page, `screens-${size.name}-collapsed`, { fullPage: false });
        await page.getByTestId('show-palette').click();
        await page.getByTestId('show-inspector').click();
        await page.getByTestId('show-summary').click();
        await page.getByTestId('palette').waitFor();
        await page.getByTestId('side').waitFor();
        await page.getByTestId('summary').waitFor();
      } else {
        await page.getByTestId('show-palette').click();
        await page.getByTestId('palette').waitFor();
        await saveScreenshot(page, `screens-${size.name}-palette`, { fullPage: false });
        await expectNoSidewaysScroll(page);
        await page.getByTestId('hide-palette').click();
      }

      expect(await axeViolations(page)).toEqual([]);
      // The training view, stacked on a phone, has no violations either and no sideways scroll.
      await page.getByTestId('view-train').click();
      await page.getByTestId('train-start').waitFor({ timeout: 60_000 });
      await page.waitForTimeout(800);
      await expectNoSidewaysScroll(page);
      // Nothing of the design part overlaps the training section.
      const layout = await page.evaluate(() => {
        const bottom = (sel: string) => document.querySelector(sel)!.getBoundingClientRect().bottom;
        return { workspace: bottom('.lb-workspace'), center: bottom('.lb-summary-wrap'), top: document.querySelector('.lb-trainview')!.getBoundingClientRect().top };
      });
      expect(layout.center).toBeLessThanOrEqual(layout.workspace + 0.5);
      expect(layout.workspace).toBeLessThanOrEqual(layout.top + 0.5);
      await saveScreenshot(page, `screens-${size.name}-train`, { fullPage: false });
      expect(await axeViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
    }, 5 * 60_000);
  }

  it('on a phone, an opened link shows the graph, its totals and each node’s details', async () => {
    const page = await app.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    const doc = templateById('lenet5')!.doc;
    const link = encodeLink(doc);
    if (!link.ok) throw new Error(link.message);
    await page.goto(`${app.url('/')}${link.fragment}`, { waitUntil: 'networkidle' });
    await page.locator('main[data-ready="true"]').waitFor();
    await page.locator('.react-flow__node').nth(doc.nodes.length - 1).waitFor({ timeout: 30_000 });
    // The totals, in the window.
    const stats = (await page.locator('.lb-stats').textContent()) ?? '';
    expect(stats).toContain('61,706');
    await expectToolbarInside(page);
    // The graph: every node drawn inside the canvas.
    const canvas = (await box(page, '.lb-canvas'))!;
    expect(canvas.width).toBeGreaterThan(350);
    // Each node's details: the summary lists every layer, and tapping one opens its inspector.
    expect(await page.locator('.lb-summary tbody tr').count()).toBe(doc.nodes.length);
    const last = doc.nodes[doc.nodes.length - 1].id;
    await page.locator(`.react-flow__node[data-id="${last}"]`).click();
    await page.getByTestId('side').waitFor();
    expect(await page.getByTestId('side').textContent()).toMatch(/Param/i);
    await saveScreenshot(page, 'screens-phone-link-details', { fullPage: false });
    await expectNoSidewaysScroll(page);
  }, 3 * 60_000);
});
