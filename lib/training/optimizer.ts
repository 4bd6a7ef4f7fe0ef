/** The optimizers of the training block, as tfjs builds them. */
import type * as tfjs from '@tensorflow/tfjs';
import type { Optimizer, TF, TrainingSettings } from '@/graph-compiler';

export const OPTIMIZER_TITLES: Record<Optimizer, string> = {
  sgd: 'SGD',
  momentum: 'SGD with momentum',
  adam: 'Adam',
  rmsprop: 'RMSprop',
  adagrad: 'Adagrad',
};

/** A fresh optimizer for a run (its slots belong to the run and are disposed with it). */
export function makeOptimizer(tf: TF, s: Pick<TrainingSettings, 'optimizer' | 'learningRate' | 'momentum'>): tfjs.Optimizer {
  switch (s.optimizer) {
    case 'sgd':
      return tf.train.sgd(s.learningRate);
    case 'momentum':
      return tf.train.momentum(s.learningRate, s.momentum);
    case 'adam':
      return tf.train.adam(s.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(s.learningRate);
    case 'adagrad':
      return tf.train.adagrad(s.learningRate);
  }
}
