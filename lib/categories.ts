/** The colour of each layer category: calm, distinct hues shared by palette, nodes and summary. */
import type { Category } from '@/graph-compiler';

export const CATEGORY_COLORS: Record<Category | 'unknown', string> = {
  core: '#4c6ea8',
  convolution: '#2e8c7e',
  pooling: '#5a9450',
  recurrent: '#3d8fb5',
  normalization: '#b08327',
  regularization: '#b5536b',
  reshaping: '#737d8c',
  merge: '#8a5baa',
  activation: '#c2683a',
  unknown: '#9a9a9a',
};
