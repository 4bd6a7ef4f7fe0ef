/**
 * ONNX export, with the frameworks as judges: every template and fixture that ONNX export writes
 * passes `onnx.checker.check_model(full_check=True)`; onnx's strict shape inference gives the
 * compiler's shape for every node (channels moved first); onnxruntime's output equals tfjs
 * `predict` with the same (seeded initial) weights to 1e-4. Layers the export does not write
 * are refused with a message naming the node. Round trip: the exported file imports with the
 * same shapes and parameter counts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compile, type CompileResult, type GraphDocument } from '@/graph-compiler';
import { onnxShape } from '@/graph-compiler/emit/onnx';
import { fromOnnx } from '@/graph-compiler/interop/onnx-import';
import { describeWithOnnx, PYTHON } from '../datasets/python-reference';
import { allDocuments } from '../share/design';

const ROOT = path.join(__dirname, '..', '..');

/** Documents the export refuses, and the node each refusal names. */
const REFUSED: Record<string, RegExp> = {
  'template lstm-mnist': /^LSTM "lstm": the ONNX export does not write recurrent layers yet\.$/,
  'template gru-text': /^GRU "gru": the ONNX export does not write recurrent layers yet\.$/,
};

/** onnxruntime against tfjs for models up to this size (tfjs's CPU predict of VGG16 takes minutes). */
const RUN_LIMIT = 5_000_000;

interface Judged {
  key: string;
  messages?: string[];
  file?: string;
  tensors?: Record<string, string>;
  maxDiff?: number | null;
  maxAbs?: number;
}

interface Checked {
  ok: boolean;
  error?: string;
  shapes?: Record<string, number[]>;
}

const CHECK = `
import json, sys, onnx
from onnx import shape_inference
out = {}
for f in json.load(sys.stdin):
    try:
        m = onnx.load(f)
        onnx.checker.check_model(m, full_check=True)
        inferred = shape_inference.infer_shapes(m, strict_mode=True)
        g = inferred.graph
        out[f] = {"ok": True, "shapes": {v.name: [d.dim_value if d.HasField("dim_value") else -1 for d in v.type.tensor_type.shape.dim]
                                          for v in list(g.value_info) + list(g.input) + list(g.output)}}
    except Exception as e:
        out[f] = {"ok": False, "error": str(e)[:2000]}
json.dump(out, sys.stdout)
`;

/** Runs onnx's checker and strict shape inference on the files, in one Python process. */
export function checkOnnxFiles(files: string[]): Record<string, Checked> {
  const r = spawnSync(PYTHON, ['-c', CHECK], { input: JSON.stringify(files), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

/** Exports documents in a child process (plain Node builds tfjs models much faster than jest), optionally running them. */
export function judgeExports(dir: string, cases: { key: string; doc: GraphDocument; run: boolean }[]): Judged[] {
  const child = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(__dirname, 'onnx-judge.ts')], {
    input: JSON.stringify({ dir, cases }), encoding: 'utf8', maxBuffer: 1 << 28,
  });
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout);
}

const docs = allDocuments().filter(([, doc]) => compile(doc).ok);

describeWithOnnx('ONNX export judged by onnx and onnxruntime', () => {
  let dir: string;
  const judged = new Map<string, Judged>();
  let checked: Record<string, Checked> = {};
  const results = new Map<string, CompileResult>(docs.map(([key, doc]) => [key, compile(doc)]));

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'layerboard-onnx-'));
    const cases = docs.map(([key, doc]) => ({ key, doc, run: results.get(key)!.totals.totalParams <= RUN_LIMIT }));
    for (const j of judgeExports(dir, cases)) judged.set(j.key, j);
    checked = checkOnnxFiles([...judged.values()].filter((j) => j.file).map((j) => j.file!));
  }, 900_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('covers every template and fixture, and refuses only the recurrent ones', () => {
    expect(judged.size).toBe(docs.length);
    expect([...judged.values()].filter((j) => j.messages).map((j) => j.key).sort()).toEqual(Object.keys(REFUSED).sort());
  });

  test.each(Object.keys(REFUSED))('%s is refused with a message naming the node', (key) => {
    const j = judged.get(key)!;
    expect(j.messages).toHaveLength(1);
    expect(j.messages![0]).toMatch(REFUSED[key]);
  });

  const written = docs.map(([key]) => key).filter((key) => !REFUSED[key]);

  test.each(written)('%s passes the full checker and strict shape inference gives the compiler\'s shapes', (key) => {
    const j = judged.get(key)!;
    const c = checked[j.file!];
    expect(c.error).toBeUndefined();
    const result = results.get(key)!;
    for (const id of result.order) {
      const value = j.tensors![id];
      expect([id, c.shapes![value]]).toEqual([id, [-1, ...onnxShape(result.nodes[id].outputShape!)]]);
    }
  });

  test.each(written.filter((key) => results.get(key)!.totals.totalParams <= RUN_LIMIT))('%s: onnxruntime gives tfjs predict\'s output to 1e-4', (key) => {
    const j = judged.get(key)!;
    expect(j.maxDiff).not.toBeNull();
    expect(j.maxDiff!).toBeLessThan(1e-4);
  });

  test.each(written)('%s imports back with the same shapes and counts', (key) => {
    const j = judged.get(key)!;
    const r = fromOnnx(new Uint8Array(readFileSync(j.file!)));
    if (!r.ok) throw new Error(r.message);
    expect(r.messages).toEqual([]);
    const back = compile(r.doc);
    const result = results.get(key)!;
    expect(back.ok).toBe(true);
    expect(back.totals.totalParams).toBe(result.totals.totalParams);
    expect(back.totals.trainableParams).toBe(result.totals.trainableParams);
    expect(r.fileWeights).toBe(result.totals.totalParams);
    expect(back.outputs.map((id) => back.nodes[id].outputShape)).toEqual(result.outputs.map((id) => result.nodes[id].outputShape));
    // Every node's tensor: the imported node holding the same ONNX value has the same shape.
    for (const id of result.order) {
      const imported = r.tensors[j.tensors![id]];
      expect([id, back.nodes[imported]?.outputShape]).toEqual([id, result.nodes[id].outputShape]);
    }
  });
});
