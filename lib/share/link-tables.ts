/**
 * The frozen vocabulary of share-link format 1: layer types and, per type, its param names, as
 * they stood when the format was made. A link stores a type or a param as its index here, so
 * these lists must never be reordered or shortened, only appended to; a layer type or param
 * added to the registry and not (yet) here is written out by name (it still works, it just
 * takes more characters).
 */

/** [type, its param names in declaration order]. */
export const LINK_TYPES_V1: readonly (readonly [string, readonly string[]])[] = [
  ['Input', ['shape']],
  ['Dense', ['units', 'activation', 'useBias', 'l1', 'l2']],
  ['Conv2D', ['filters', 'kernelSize', 'strides', 'padding', 'dilationRate', 'activation', 'useBias', 'l1', 'l2']],
  ['DepthwiseConv2D', ['kernelSize', 'strides', 'padding', 'depthMultiplier', 'activation', 'useBias', 'l1', 'l2']],
  ['SeparableConv2D', ['filters', 'kernelSize', 'strides', 'padding', 'depthMultiplier', 'activation', 'useBias', 'l1', 'l2']],
  ['MaxPooling2D', ['poolSize', 'strides', 'padding']],
  ['AveragePooling2D', ['poolSize', 'strides', 'padding']],
  ['GlobalAveragePooling2D', []],
  ['GlobalMaxPooling2D', []],
  ['BatchNormalization', ['momentum', 'epsilon']],
  ['Dropout', ['rate']],
  ['Flatten', []],
  ['Reshape', ['targetShape']],
  ['ZeroPadding2D', ['padding']],
  ['Add', []],
  ['Concatenate', ['axis']],
  ['Activation', ['activation', 'alpha']],
  ['Maxout', ['units', 'pieces', 'l1', 'l2']],
  // Appended with the layer types added after format 1 was made (old links keep their indices).
  ['Conv1D', ['filters', 'kernelSize', 'strides', 'padding', 'dilationRate', 'activation', 'useBias', 'l1', 'l2']],
  ['Conv2DTranspose', ['filters', 'kernelSize', 'strides', 'padding', 'activation', 'useBias', 'l1', 'l2']],
  ['UpSampling2D', ['size', 'interpolation']],
  ['Multiply', []],
  ['LayerNormalization', ['epsilon', 'center', 'scale']],
  ['Embedding', ['inputDim', 'outputDim']],
  ['LSTM', ['units', 'activation', 'recurrentActivation', 'returnSequences', 'useBias', 'recurrentInitializer', 'dropout', 'recurrentDropout', 'l1', 'l2']],
  ['GRU', ['units', 'activation', 'recurrentActivation', 'returnSequences', 'useBias', 'recurrentInitializer', 'dropout', 'recurrentDropout', 'l1', 'l2']],
];

/**
 * The preset deflate dictionary of format 1: strings that compact documents often hold. Deflate
 * can refer back into it from the first byte, which is what makes a small graph's link short.
 * The most frequent strings come last (nearer means cheaper to refer to). Frozen like the tables.
 */
export const LINK_DICTIONARY_V1 = [
  '{"earlyStopping":{"enabled":true,"monitor":"val_loss","patience":3,"minDelta":0,"restoreBestWeights":true},',
  '"labelColumn":"","task":"classification","regression","samples":1000,"trainRatio":0.5,"noise":0.1,',
  '"dataset":"circle","xor","gaussian","spiral","csv","images","mnist",',
  '"optimizer":"sgd","momentum","rmsprop","adagrad","adam","loss":"auto","categoricalCrossentropy",',
  '"sparseCategoricalCrossentropy","binaryCrossentropy","meanSquaredError","meanAbsoluteError",',
  '"learningRate":0.001,"batchSize":32,"epochs":5,"validationSplit":0.1,"seed":42}',
  '"relu6","selu","elu","softplus","softsign","swish","gelu","leakyRelu","step","linear","sigmoid",',
  'input_1","output","flatten","dropout","dense_1","conv2d_1","max_pooling2d","batch_normalization","activation","add","block","conv","pool","pad","bn","Net',
  '[[0,0],[0,0]],[28,28,1],[32,32,1],[224,224,3],[32,32,3],[2]',
  '"tanh","softmax","same","relu",',
].join('');
