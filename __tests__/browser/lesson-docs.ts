/** Documents the lesson browser tests open. */

/** A 2-4-1 tanh network for exclusive or, small enough for the neuron view; 40 epochs of SGD. */
export const XOR_241 = {
  format: 'layerboard.graph', version: 1, name: 'XOR 2-4-1',
  nodes: [
    { id: 'x', type: 'Input', params: { shape: [2] } },
    { id: 'hidden', type: 'Dense', params: { units: 4, activation: 'tanh' } },
    { id: 'out', type: 'Dense', params: { units: 1, activation: 'sigmoid' } },
  ],
  edges: [{ source: 'x', target: 'hidden' }, { source: 'hidden', target: 'out' }],
  training: { dataset: 'xor', epochs: 40, optimizer: 'sgd', learningRate: 0.1, batchSize: 16 },
};
