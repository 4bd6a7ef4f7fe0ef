/**
 * The exported script as a training script, run by torch: the Spiral MLP template trains on the
 * spiral points the browser generates, as one process and as two DistributedDataParallel
 * processes over gloo (started here with the environment torchrun would give them: torchrun
 * 1.13 itself fails under Python 3.11), prints one JSON line per epoch on rank 0 only, learns,
 * and both replicas end with equal weights. With the browser's weights (`--weights`, the .npz
 * the export writes) and no training, it reports the test loss tfjs computes for them.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { checkTraining, compile, type GraphDocument } from '@/graph-compiler';
import { playgroundSet } from '@/graph-compiler/datasets';
import { toNpz } from '@/graph-compiler/emit/npz';
import { pytorchStateDict, toPytorch } from '@/graph-compiler/emit/pytorch';
import { nodeWeights } from '@/graph-compiler/emit/weights';
import { templateById } from '@/lib/templates';
import { describeWithTorch, PYTHON } from '../datasets/python-reference';
import { seededModel, workDir } from './torch-judge';

tf.env().set('PROD', true);

interface Run { code: number | null; stdout: string; stderr: string }

/** Runs Python; a process still running after `limitMs` is killed (its Run says so in stderr). */
function run(args: string[], env: Record<string, string>, cwd: string, limitMs = 150_000): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(PYTHON, args, { cwd, env: { ...process.env, OMP_NUM_THREADS: '1', ...env } });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${limitMs} ms)`;
      child.kill('SIGKILL');
    }, limitMs);
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const lines = (out: string) => out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, number | null>);

describeWithTorch('the PyTorch script trains', () => {
  const dir = workDir('pytorch-train');
  const doc = templateById('spiral-mlp')!.doc as GraphDocument;
  const script = path.join(dir, 'spiral.py');

  beforeAll(() => {
    writeFileSync(script, toPytorch(doc, compile(doc)));
  });

  test('as one process: one JSON line per epoch, and it learns the spiral', async () => {
    const r = await run([script, '--epochs', '25'], {}, dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out).toHaveLength(26);
    expect(Object.keys(out[0])).toEqual(['epoch', 'loss', 'accuracy', 'worldSize', 'val_loss', 'val_accuracy']);
    expect(out.slice(0, 25).map((l) => l.epoch)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(out.every((l) => l.worldSize === 1)).toBe(true);
    expect(out[25].test_accuracy).toBeGreaterThanOrEqual(0.9);
  }, 120_000);

  test('as two DistributedDataParallel processes over gloo: rank 0 reports, both exit 0, the replicas end equal', async () => {
    // The port is free when chosen but released before rank 0 binds it: another test's server
    // can take it meanwhile, and then rank 1 waits for a rendezvous that never comes (seen once
    // in a full run). Such an attempt ends within a minute and is tried again on a new port.
    const attempt = async () => {
      const port = String(await freePort());
      return Promise.all([0, 1].map((rank) => run([script, '--save', 'replica{rank}.npz'], {
        MASTER_ADDR: '127.0.0.1', MASTER_PORT: port, WORLD_SIZE: '2', RANK: String(rank), LOCAL_RANK: String(rank),
      }, dir, 60_000)));
    };
    let ranks = await attempt();
    for (let retry = 0; retry < 2 && ranks.some((r) => /killed after|address already in use|EADDRINUSE/i.test(r.stderr)); retry++) ranks = await attempt();
    for (const r of ranks) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    expect(ranks[1].stdout).toBe('');
    const out = lines(ranks[0].stdout);
    const { settings } = checkTraining(doc.training);
    expect(out).toHaveLength(settings.epochs + 1);
    expect(out.every((l) => l.worldSize === 2)).toBe(true);
    expect(out.at(-1)!.test_accuracy).toBeGreaterThanOrEqual(0.9);
    const same = await run(['-c', `import numpy as np
a, b = np.load("replica0.npz"), np.load("replica1.npz")
assert sorted(a.files) == sorted(b.files) and len(a.files) == 6, (a.files, b.files)
print(all(np.array_equal(a[k], b[k]) for k in a.files))`], {}, dir);
    expect(same.stderr).toBe('');
    expect(same.stdout.trim()).toBe('True');
  }, 240_000);

  test('with the browser\'s weights and no training, it reports the test loss tfjs computes for them', async () => {
    const result = compile(doc);
    const { settings } = checkTraining(doc.training);
    const model = await seededModel(result, 3);
    const weights = path.join(dir, 'browser.npz');
    writeFileSync(weights, toNpz(pytorchStateDict(result, nodeWeights(model, result))));
    const test = playgroundSet('spiral').dataset(settings).test;
    const expected = tf.tidy(() => {
      const p = (model.predict(tf.tensor2d(test.x, [test.n, 2])) as tf.Tensor).clipByValue(1e-7, 1 - 1e-7);
      const y = tf.tensor2d(test.y, [test.n, 1]);
      return tf.neg(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p))))).mean().dataSync()[0];
    });
    model.dispose();
    const r = await run([script, '--weights', weights, '--epochs', '0'], {}, dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [final] = lines(r.stdout);
    expect(Math.abs(final.test_loss! - expected)).toBeLessThan(1e-5);
    expect(readFileSync(weights).subarray(0, 2).toString('latin1')).toBe('PK');
  }, 120_000);
});
