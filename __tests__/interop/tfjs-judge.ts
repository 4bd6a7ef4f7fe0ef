/**
 * Loads a model.json topology (standard input) with tfjs and prints its parameter count and
 * layer output shapes as JSON. Run as a child process (`npx tsx`) for the large models: inside
 * jest's sandbox tfjs initialises VGG16's 138 M weights about 25 times slower than in plain Node.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { registerCustomLayers } from '../../graph-compiler';

tf.env().set('PROD', true);
registerCustomLayers(tf);

async function main(): Promise<void> {
  const json = JSON.parse(readFileSync(0, 'utf8'));
  const model = await tf.models.modelFromJSON(json.modelTopology);
  const shapes = Object.fromEntries(model.layers.map((l) => [l.name, (l.outputShape as (number | null)[]).slice(1)]));
  process.stdout.write(JSON.stringify({ params: model.countParams(), shapes }));
}

main().catch((e) => {
  process.stderr.write(String((e as Error).stack ?? e));
  process.exitCode = 1;
});
