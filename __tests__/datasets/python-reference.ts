/**
 * Runs Python data code with the system's /usr/bin/python3 and numpy (Debian's python3-numpy),
 * the reference the exported scripts are checked against. Missing: the tests skip with a
 * notice, unless LAYERBOARD_REQUIRE_PYTHON=1 (CI), where a missing reference fails.
 */
import { execFileSync, spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

/** Null when python3 and numpy are there, else why not. */
export function pythonMissing(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import numpy'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} not found (${r.error.message})`;
  if (r.status !== 0) return `numpy is missing from ${PYTHON}: ${r.stderr.trim().split('\n').at(-1)}`;
  return null;
}

/** `describe`, or a skipped one with a printed notice when the reference is missing (a failure in CI). */
export function describeWithPython(name: string, body: () => void): void {
  describeWithReference(name, pythonMissing(), 'python3-numpy', body);
}

/** Null when python3 has torch (and numpy), else why not. */
export function torchMissing(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import numpy, torch'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} not found (${r.error.message})`;
  if (r.status !== 0) return `torch is missing from ${PYTHON}: ${r.stderr.trim().split('\n').at(-1)}`;
  return null;
}

/** As `describeWithPython`, for tests whose judge is PyTorch. */
export function describeWithTorch(name: string, body: () => void): void {
  describeWithReference(name, torchMissing(), 'python3-torch', body);
}

/** `describe` when `missing` is null; else skipped with a notice, or failing under LAYERBOARD_REQUIRE_PYTHON=1. */
export function describeWithReference(name: string, missing: string | null, packages: string, body: () => void): void {
  if (!missing) {
    describe(name, body);
    return;
  }
  if (process.env.LAYERBOARD_REQUIRE_PYTHON === '1') {
    describe(name, () => {
      test('has its Python reference', () => {
        throw new Error(`LAYERBOARD_REQUIRE_PYTHON=1 but ${missing}: install ${packages}.`);
      });
    });
    return;
  }
  console.warn(`Skipping "${name}": ${missing} (set LAYERBOARD_REQUIRE_PYTHON=1 to make this an error).`);
  describe.skip(name, body);
}

export interface PyCase {
  /** Python source defining `load_data()`. */
  code: string;
  inputShape: number[];
  seed: number;
  argv?: string[];
  /** Return only the first `limit` values of each array (sums are of all of them). */
  limit?: number;
}

export interface PyArrays {
  x_train: number[];
  y_train: number[];
  x_test: number[];
  y_test: number[];
  shapes: number[][];
  /** Sums of x_train, y_train, x_test, y_test (float64). */
  sums: number[];
}

const DRIVER = `
import csv, gzip, io, json, math, os, struct, sys
import numpy as np
out = []
for case in json.load(sys.stdin):
    sys.argv = ["script.py"] + case["argv"]
    ns = {"np": np, "math": math, "csv": csv, "gzip": gzip, "io": io, "os": os, "struct": struct, "sys": sys,
          "INPUT_SHAPE": tuple(case["inputShape"]), "SETTINGS": {"seed": case["seed"]}}
    exec(case["code"], ns)
    (x_train, y_train), (x_test, y_test) = ns["load_data"]()
    arrays = [x_train, y_train, x_test, y_test]
    out.append({"shapes": [list(a.shape) for a in arrays], "dtypes": [str(a.dtype) for a in arrays],
                "sums": [float(a.astype("float64").sum()) for a in arrays],
                **{k: a.ravel()[:case.get("limit")].tolist() for k, a in zip(["x_train", "y_train", "x_test", "y_test"], arrays)}})
json.dump(out, sys.stdout)
`;

/** Runs every case's `load_data()` in one Python process and returns its arrays, flattened. */
export function runLoadData(cases: PyCase[]): (PyArrays & { dtypes: string[] })[] {
  const input = JSON.stringify(cases.map((c) => ({ argv: [], ...c })));
  const out = execFileSync(PYTHON, ['-c', DRIVER], { input, maxBuffer: 1 << 30, encoding: 'utf8' });
  return JSON.parse(out);
}

/** Null when python3 has onnx (and the other `modules`, e.g. torchvision), else why not. */
export function onnxMissing(modules: string[] = []): string | null {
  const r = spawnSync(PYTHON, ['-c', `import ${['onnx', ...modules].join(', ')}`], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} not found (${r.error.message})`;
  if (r.status !== 0) return `${['onnx', ...modules].join('/')} missing from ${PYTHON}: ${r.stderr.trim().split('\n').at(-1)}`;
  return null;
}

/** As `describeWithPython`, for tests whose judge is the onnx package (checker, shape inference), with `modules` besides. */
export function describeWithOnnx(name: string, body: () => void, modules: string[] = []): void {
  describeWithReference(name, onnxMissing(modules), ['python3-onnx', ...modules.map((m) => `python3-${m}`)].join(' '), body);
}
