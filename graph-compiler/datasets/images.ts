/**
 * Image folders the person chooses: one sub-folder per class (or files named by class). Every
 * image is centre-cropped to the Input's aspect ratio and resized to its shape
 * `[height, width, 1 or 3]`; 20% of each class, chosen with the seed, is the test split. The
 * decoding needs a canvas, so the browser's service does it (`lib/datasets/images.ts`).
 */
import { fmtShape } from '../format';
import type { Shape } from '../types';
import { DataError } from './errors';
import { groupByClass } from './image-files';
import { defineDataset, pyEncodeTargets } from './spec';

const imageShape = (s: Shape) => s.length === 3 && (s[2] === 1 || s[2] === 3);

/** The image folders read with torchvision, for the PyTorch script. */
function pyTorchImages(encode: string): string {
  return `IMAGES_DIR = "images"  # one sub-folder per class; --images PATH overrides


def load_data():
    """Images in class folders (images/<class>/*.png), resized and centre-cropped to the Input's shape, a seeded 20% for the test."""
    from torchvision import datasets, transforms
    root = sys.argv[sys.argv.index("--images") + 1] if "--images" in sys.argv else IMAGES_DIR
    h, w, c = INPUT_SHAPE
    mode = "L" if c == 1 else "RGB"
    to_array = transforms.Compose([transforms.Lambda(lambda im: im.convert(mode)), transforms.Resize(max(h, w)),
                                   transforms.CenterCrop((h, w)), transforms.PILToTensor()])
    folder = datasets.ImageFolder(root, transform=to_array)
    x = np.stack([t.numpy().transpose(1, 2, 0) for t, _ in folder]).astype("float32") / 255
    y = np.array(folder.targets, dtype="int64")
    order = np.random.default_rng(SETTINGS["seed"]).permutation(len(y))
    n_test = max(1, len(y) // 5)
    x_train, y_train, x_test, y_test = x[order[n_test:]], y[order[n_test:]], x[order[:n_test]], y[order[:n_test]]${encode}
    return (x_train, y_train), (x_test, y_test)`;
}

export const images = defineDataset({
  id: 'images',
  title: 'Image folders',
  group: 'yours',
  description: 'Photos or drawings of your own, one folder per class (cat/…, dog/…). They are resized to the Input\'s shape: [height, width, 1] for greyscale, 3 for colour.',
  task: () => 'classification',
  fields: [],
  upload: 'images',
  info({ upload, inputShape }) {
    if (upload?.kind !== 'images') return { info: null, error: null };
    const { classes } = groupByClass(upload.paths.map((path) => ({ path })));
    if (classes.size < 2) {
      return { info: null, error: classes.size === 0 ? 'None of the chosen files is an image (png, jpg, gif, webp, bmp).' : `All images fall in one class ("${[...classes.keys()][0]}"): put each class in its own folder and choose the parent folder.` };
    }
    return { info: { id: 'images', title: 'the images', task: 'classification', featureShape: inputShape ?? [0], classNames: [...classes.keys()] }, error: null };
  },
  checkInput: (input, _info, node) => (imageShape(input)
    ? null
    : `${node} has shape ${fmtShape(input)}, but images need an Input shaped [height, width, 1] (greyscale) or [height, width, 3] (colour): set the Input's shape, e.g. to [32, 32, 3].`),
  async load({ settings, inputShape, services }) {
    if (!inputShape) throw new DataError('The graph needs an Input to know what size to resize the images to.');
    return services.decodeImages(inputShape, settings.seed);
  },
  python: ({ encoding, units, framework }) => (framework === 'pytorch' ? pyTorchImages(pyEncodeTargets(encoding, units)) : `IMAGES_DIR = "images"  # one sub-folder per class; --images PATH overrides


def load_data():
    """Images in class folders (images/<class>/*.png), resized to the Input's shape, 20% for the test."""
    root = sys.argv[sys.argv.index("--images") + 1] if "--images" in sys.argv else IMAGES_DIR
    kwargs = dict(labels="inferred", image_size=INPUT_SHAPE[:2], batch_size=None, seed=SETTINGS["seed"],
                  color_mode="grayscale" if INPUT_SHAPE[-1] == 1 else "rgb", validation_split=0.2, subset="both",
                  crop_to_aspect_ratio=True)
    train, test = keras.utils.image_dataset_from_directory(root, **kwargs)

    def arrays(ds):
        xs, ys = zip(*[(x.numpy() / 255.0, y.numpy()) for x, y in ds])
        return np.stack(xs).astype("float32"), np.array(ys, dtype="int64")

    (x_train, y_train), (x_test, y_test) = arrays(train), arrays(test)${pyEncodeTargets(encoding, units)}
    return (x_train, y_train), (x_test, y_test)`),
});
