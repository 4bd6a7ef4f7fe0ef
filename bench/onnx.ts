/**
 * ONNX import benchmark: torchvision's ResNet-50 (random weights, exported by torch in eval mode
 * with opset 13, about 100 MB) read into a document and summarised, in process and through the
 * command line (`import` then `summary`, each a fresh Node process). Needs /usr/bin/python3 with
 * torch and torchvision; says so and stops without them.
 *
 *   npm run bench -- onnx
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compile } from '../graph-compiler';
import { fromOnnx } from '../graph-compiler/interop/onnx-import';

const EXPORT = `
import sys, torch, torchvision
m = torchvision.models.resnet50(weights=None).eval()
torch.onnx.export(m, torch.rand(1, 3, 224, 224), sys.argv[1], opset_version=13)
`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function runOnnxBench(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'layerboard-onnx-bench-'));
  try {
    const file = path.join(dir, 'resnet50.onnx');
    const made = spawnSync('/usr/bin/python3', ['-c', EXPORT, file], { encoding: 'utf8' });
    if (made.status !== 0) return `(skipped: torch/torchvision not available: ${made.stderr.trim().split('\n').at(-1)})`;
    const mb = statSync(file).size / 1048576;
    const times: { read: number; import: number; compile: number }[] = [];
    let params = 0;
    let nodes = 0;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const bytes = new Uint8Array(readFileSync(file));
      const t1 = performance.now();
      const r = fromOnnx(bytes);
      const t2 = performance.now();
      if (!r.ok) throw new Error(r.message);
      const result = compile(r.doc);
      const t3 = performance.now();
      params = result.totals.totalParams;
      nodes = r.doc.nodes.length;
      times.push({ read: t1 - t0, import: t2 - t1, compile: t3 - t2 });
    }
    const cli = path.join(__dirname, '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
    const entry = path.join(__dirname, '..', 'cli', 'layerboard.ts');
    const c0 = performance.now();
    const imported = spawnSync(process.execPath, [cli, entry, 'import', file], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const c1 = performance.now();
    writeFileSync(path.join(dir, 'resnet50.json'), imported.stdout);
    const summary = spawnSync(process.execPath, [cli, entry, 'summary', path.join(dir, 'resnet50.json')], { encoding: 'utf8' });
    const c2 = performance.now();
    const ms = (v: number) => `${Math.round(v)} ms`;
    return [
      `ResNet-50 from torch.onnx.export (opset 13): ${mb.toFixed(1)} MB, ${nodes} layers, ${params.toLocaleString('en-US')} weights.`,
      '',
      '| step | median of 5 |',
      '| --- | --- |',
      `| read the file | ${ms(median(times.map((t) => t.read)))} |`,
      `| fromOnnx (decode, weights to tfjs layouts, document) | ${ms(median(times.map((t) => t.import)))} |`,
      `| compile (shapes, counts) | ${ms(median(times.map((t) => t.compile)))} |`,
      `| CLI \`import\` (fresh process, exit ${imported.status}) | ${ms(c1 - c0)} |`,
      `| CLI \`summary\` of that document (fresh process, exit ${summary.status}) | ${ms(c2 - c1)} |`,
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
