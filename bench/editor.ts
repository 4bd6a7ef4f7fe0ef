/**
 * Editor benchmark in real Chromium (the browser-test harness: production build, `next start`,
 * Debian's Chromium). For a ResNet-50-sized graph (the 177-node fixture) and a generated
 * 500-node residual graph it measures:
 *
 * - layout: ELK placing a document without positions (in Node, the same code the page runs);
 * - first render: opening the document until every node and edge in view is drawn and measured
 *   (from 150 nodes on, the canvas keeps only what is in view in the DOM);
 * - edit: typing a new value into an inspector field until the node face and the summary
 *   table show it (DOM updated), and until the next frame (painted): median and p90;
 * - drag: frames per second while a node is dragged with the mouse, and the p95 frame time.
 *
 *   npx tsx bench/editor.ts
 *
 * LAYERBOARD_BASE_URL=http://127.0.0.1:3000 measures an app that is already running;
 * otherwise the app is built (unless LAYERBOARD_SKIP_BUILD=1 and a build exists) and served.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { GraphDocument } from '../graph-compiler';
import { layoutDocument } from '../lib/layout';
import { benchApp, findChromium, launchChromium, LLVMPIPE_FLAGS, ROOT } from '../__tests__/browser/harness';
import { resnetGraph } from './graphs';

export interface EditorBenchRow {
  graph: string;
  nodes: number;
  edges: number;
  layoutMs: number;
  firstRenderMs: number;
  editDomMs: { median: number; p90: number };
  editFrameMs: { median: number; p90: number };
  editLastMs: number;
  dragFps: number;
  dragP95FrameMs: number;
}

const EDITS = 15;

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

async function openGraph(page: Page, doc: GraphDocument): Promise<number> {
  await page.evaluate(() => window.__layerboard!.openDocument({ format: 'layerboard.graph', version: 1, nodes: [], edges: [] }));
  return page.evaluate(async (d) => {
    const hook = window.__layerboard!;
    const t0 = performance.now();
    await hook.openDocument(d);
    // Done when every node in the DOM is measured (visible) and the nodes and edges drawn have
    // not changed for three frames: with culling, only what is in view is drawn.
    let settledAt = 0;
    let stable = 0;
    let last = '';
    await new Promise<void>((resolve) => {
      const check = () => {
        const nodes = document.querySelectorAll<HTMLElement>('.react-flow__node');
        const ready = nodes.length > 0 && [...nodes].every((n) => n.style.visibility !== 'hidden');
        const key = `${nodes.length}/${document.querySelectorAll('.react-flow__edge').length}`;
        if (ready && key === last) stable++;
        else {
          stable = 0;
          settledAt = performance.now();
        }
        last = key;
        if (stable >= 3) resolve();
        else requestAnimationFrame(check);
      };
      check();
    });
    return settledAt - t0;
  }, doc);
}

/**
 * Types values into one inspector field, each time waiting until the node face and the
 * summary's total show the change. Returns [DOM updated, next frame] times per edit.
 */
async function measureEdits(page: Page, nodeId: string, param: string, values: number[]): Promise<[number, number][]> {
  // The node being edited is in view, as when someone edits it.
  await page.evaluate((id) => window.__layerboard!.store.getState().focusNode(id), nodeId);
  await page.locator(`.react-flow__node[data-id="${nodeId}"] .lb-node__summary`).waitFor();
  await page.waitForTimeout(500);
  await page.locator(`[data-testid="inspector"][data-node-id="${nodeId}"] [data-testid="field-${param}"] input`).waitFor();
  return page.evaluate(
    async ({ id, key, vals }) => {
      const input = document.querySelector<HTMLInputElement>(`[data-testid="inspector"] [data-testid="field-${key}"] input`)!;
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      const total = document.querySelector('[data-testid="total-params"]')!;
      const face = document.querySelector(`.react-flow__node[data-id="${id}"] .lb-node__summary`)!;
      const out: [number, number][] = [];
      for (const v of vals) {
        await new Promise((r) => setTimeout(r, 30));
        const beforeTotal = total.textContent;
        const t0 = performance.now();
        setValue.call(input, String(v));
        input.dispatchEvent(new Event('input', { bubbles: true }));
        await new Promise<void>((resolve) => {
          const check = () => {
            const row = document.querySelector(`.lb-summary tr[data-node-id="${id}"]`);
            if (total.textContent !== beforeTotal && face.textContent?.includes(String(v)) && row) resolve();
            else requestAnimationFrame(check);
          };
          check();
        });
        const dom = performance.now() - t0;
        // The frame that shows the change: after the next animation frame's paint.
        await new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
        out.push([dom, performance.now() - t0]);
      }
      return out;
    },
    { id: nodeId, key: param, vals: values },
  );
}

/** Drags a node across the canvas with the mouse while counting animation frames. */
async function measureDrag(page: Page, nodeId: string): Promise<{ fps: number; p95: number }> {
  await page.evaluate((id) => window.__layerboard!.store.getState().focusNode(id), nodeId);
  await page.waitForTimeout(600);
  const box = await page.locator(`.react-flow__node[data-id="${nodeId}"]`).boundingBox();
  if (!box) throw new Error(`node ${nodeId} is not on screen`);
  const x = box.x + box.width / 2;
  const y = box.y + 12;
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __counting: boolean };
    w.__frames = [];
    w.__counting = true;
    const tick = (t: number) => {
      if (!w.__counting) return;
      w.__frames.push(t);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.mouse.move(x, y);
  await page.mouse.down();
  const steps = 120;
  for (let i = 1; i <= steps; i++) {
    const a = (i / steps) * Math.PI * 2;
    await page.mouse.move(x + Math.sin(a) * 160, y + (1 - Math.cos(a)) * 90);
  }
  await page.mouse.up();
  const frames = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __counting: boolean };
    w.__counting = false;
    return w.__frames;
  });
  const gaps = frames.slice(1).map((t, i) => t - frames[i]);
  const seconds = (frames[frames.length - 1] - frames[0]) / 1000;
  return { fps: (frames.length - 1) / seconds, p95: quantile(gaps, 0.95) };
}

async function benchGraph(page: Page, name: string, doc: GraphDocument, edit: { node: string; param: string; base: number }, lastEdit: { node: string; param: string; base: number }, drag: string): Promise<EditorBenchRow> {
  const t = performance.now();
  const placed = await layoutDocument(doc, { aspectRatio: 1.4 });
  const layoutMs = performance.now() - t;
  const firstRenderMs = await openGraph(page, placed);
  await page.waitForTimeout(500);
  const values = Array.from({ length: EDITS }, (_, i) => edit.base + 1 + (i % 5));
  const edits = await measureEdits(page, edit.node, edit.param, values);
  const last = await measureEdits(page, lastEdit.node, lastEdit.param, [lastEdit.base + 1, lastEdit.base + 2, lastEdit.base + 3, lastEdit.base + 4, lastEdit.base + 5]);
  const dragResult = await measureDrag(page, drag);
  const dom = edits.map((e) => e[0]);
  const frame = edits.map((e) => e[1]);
  return {
    graph: name,
    nodes: doc.nodes.length,
    edges: doc.edges.length,
    layoutMs,
    firstRenderMs,
    editDomMs: { median: quantile(dom, 0.5), p90: quantile(dom, 0.9) },
    editFrameMs: { median: quantile(frame, 0.5), p90: quantile(frame, 0.9) },
    editLastMs: quantile(last.map((e) => e[1]), 0.5),
    dragFps: dragResult.fps,
    dragP95FrameMs: dragResult.p95,
  };
}

/** The results as a plain-text table. */
export function formatEditorBench(rows: EditorBenchRow[], browser: string): string {
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const header = ['graph', 'nodes', 'edges', 'layout (ELK)', 'first render', 'edit → DOM (med / p90)', 'edit → frame (med / p90)', 'edit last layer → frame', 'drag fps', 'drag p95 frame'];
  const body = rows.map((r) => [
    r.graph,
    String(r.nodes),
    String(r.edges),
    ms(r.layoutMs),
    ms(r.firstRenderMs),
    `${ms(r.editDomMs.median)} / ${ms(r.editDomMs.p90)}`,
    `${ms(r.editFrameMs.median)} / ${ms(r.editFrameMs.p90)}`,
    ms(r.editLastMs),
    r.dragFps.toFixed(1),
    ms(r.dragP95FrameMs),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [`Editor benchmark: ${browser}, headless, 1280×800 viewport`, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

interface Configuration {
  name: string;
  flags?: readonly string[];
  args?: string[];
}

/**
 * Chromium configurations measured. The harness's flags render with SwiftShader (software GL,
 * which the browser tests need for WebGL training); on this GPU-less machine its compositor
 * swaps take tens of milliseconds per frame whatever the page does. `--disable-gpu-compositing`
 * composites in software instead, which is what Chromium does on a machine without a usable
 * GPU, and Mesa's llvmpipe is the other software GL. LAYERBOARD_BENCH_CHROMIUM_ARGS measures one
 * configuration: the harness flags plus those arguments.
 */
function configurations(): Configuration[] {
  const env = process.env.LAYERBOARD_BENCH_CHROMIUM_ARGS;
  if (env !== undefined) return [{ name: `harness flags ${env}`.trim(), args: env.split(/\s+/).filter(Boolean) }];
  return [
    { name: 'software compositing (--disable-gpu-compositing)', args: ['--disable-gpu-compositing'] },
    { name: 'test flags: SwiftShader GL', args: [] },
    { name: 'llvmpipe GL (LLVMPIPE_FLAGS)', flags: LLVMPIPE_FLAGS },
  ];
}

/** Runs the benchmark (one table per Chromium configuration) and returns the tables. */
export async function runEditorBench(): Promise<string> {
  if (!findChromium()) throw new Error('Chromium is not installed at /usr/bin/chromium (or CHROMIUM_PATH)');
  const app = await benchApp();
  const baseUrl = app.url;
  try {
    const tables: string[] = [];
    for (const config of configurations()) tables.push(await benchOnce(baseUrl, config));
    return tables.join('\n\n');
  } finally {
    await app.stop();
  }
}

async function benchOnce(baseUrl: string, config: Configuration): Promise<string> {
  const browser = await launchChromium({ flags: config.flags, args: config.args });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    // tsx compiles the functions passed to page.evaluate with esbuild's keepNames helper.
    await page.addInitScript({ content: 'window.__name = (f) => f;' });
    await page.goto(`${baseUrl}/`, { waitUntil: 'networkidle' });
    await page.locator('main[data-ready="true"]').waitFor();

    const resnet50 = JSON.parse(fs.readFileSync(path.join(ROOT, '__tests__/fixtures/resnet50.json'), 'utf8')) as GraphDocument;
    const firstConv = (d: GraphDocument) => d.nodes.find((n) => n.type === 'Conv2D')!;
    const lastDense = (d: GraphDocument) => [...d.nodes].reverse().find((n) => n.type === 'Dense')!;
    const rows: EditorBenchRow[] = [];
    for (const [name, doc] of [
      ['ResNet-50 (fixture)', resnet50],
      ['generated residual, 500', resnetGraph(500)],
    ] as const) {
      const conv = firstConv(doc);
      const dense = lastDense(doc);
      const middle = doc.nodes[Math.floor(doc.nodes.length / 2)].id;
      rows.push(
        await benchGraph(
          page,
          name,
          doc,
          { node: conv.id, param: 'filters', base: Number(conv.params.filters) },
          { node: dense.id, param: 'units', base: Number(dense.params.units) },
          middle,
        ),
      );
    }
    const version = browser.version();
    return formatEditorBench(rows, `Chromium ${version}, ${config.name}`);
  } finally {
    await browser.close();
  }
}

// Run directly (npx tsx bench/editor.ts), not when bundled into bench/run.ts.
if (/bench[\/]editor\.ts$/.test(process.argv[1] ?? '')) {
  runEditorBench().then(
    (table) => console.log(table),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
