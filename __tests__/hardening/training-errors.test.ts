/**
 * A model too big for WebGL's textures fails inside tfjs with its own words; the run says it in
 * ours, naming the layer. The error is tfjs's real one (its texture-size check, with the
 * maximum set as a GPU would report it); the model is a real tfjs model.
 */
import * as tf from '@tensorflow/tfjs';
import { webgl_util } from '@tensorflow/tfjs-backend-webgl';
import { trainingErrorMessage } from '@/lib/training/errors';

test('"Requested texture size … greater than WebGL maximum" names the largest layer and what to do', () => {
  tf.env().set('WEBGL_MAX_TEXTURE_SIZE', 4096);
  let error: unknown;
  try {
    webgl_util.validateTextureSize(8854, 8855);
  } catch (e) {
    error = e;
  }
  expect((error as Error).message).toBe('Requested texture size [8854x8855] greater than WebGL maximum on this browser / GPU [4096x4096].');

  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [784], units: 16, name: 'small' }),
      tf.layers.dense({ units: 20000, name: 'huge_dense' }),
      tf.layers.dense({ units: 10, name: 'out' }),
    ],
  });
  try {
    expect(trainingErrorMessage(error, model)).toBe('Layer "huge_dense" (Dense) holds a tensor of 320,000 values, too large for this browser\'s graphics card: '
      + 'WebGL needed a 8854 × 8855 texture and this GPU allows at most 4096 × 4096. '
      + 'Make that layer smaller (fewer units or filters, or a smaller input), or switch the Backend to CPU.');
  } finally {
    model.dispose();
  }
  expect(trainingErrorMessage(new Error('something else'), null)).toBe('something else');
});
