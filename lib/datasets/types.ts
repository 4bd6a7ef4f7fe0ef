/** The data set types live with the data set modules in the compiler (pure, shared with the exports). */
export { exampleSize, type Dataset, type DatasetId, type DatasetInfo, type Split, type Task } from '@/graph-compiler/datasets/types';
