/**
 * `npm run bench`: every benchmark, each printing figures and ratios measured side by side in
 * one run. `npm run bench -- compile share` runs only the named ones.
 */
const SUITES: Record<string, { title: string; run: () => Promise<string> }> = {
  compile: { title: 'Graph compiler vs building the tfjs model', run: async () => (await import('./compile')).runCompileBench() },
  share: { title: 'Share link lengths', run: async () => (await import('./share')).runShareBench() },
  editor: { title: 'Editor in Chromium', run: async () => (await import('./editor')).runEditorBench() },
  training: { title: 'Training in Chromium (WebGL)', run: async () => (await import('./training')).runTrainingBench() },
  playground: { title: 'Playground speed: the circle with a 2-8-8-1 network, per backend', run: async () => (await import('./playground')).runPlaygroundBench() },
  onnx: { title: 'Opening a torchvision ResNet-50 ONNX file', run: async () => (await import('./onnx')).runOnnxBench() },
  hardening: { title: 'Hostile inputs: cycles, reordered edges, big graphs without positions', run: async () => (await import('./hardening')).runHardeningBench() },
};

async function main() {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !(w in SUITES));
  if (unknown.length) {
    process.stderr.write(`bench: unknown suite ${unknown.join(', ')}; suites: ${Object.keys(SUITES).join(', ')}\n`);
    process.exitCode = 2;
    return;
  }
  for (const name of wanted.length ? wanted : Object.keys(SUITES)) {
    const suite = SUITES[name];
    process.stdout.write(`\n## ${suite.title}\n\n`);
    const started = Date.now();
    try {
      process.stdout.write(`${await suite.run()}\n`);
    } catch (e) {
      process.stdout.write(`(failed: ${(e as Error).message})\n`);
      process.exitCode = 1;
    }
    process.stdout.write(`\n_${name}: ${((Date.now() - started) / 1000).toFixed(1)} s_\n`);
  }
}

void main();
