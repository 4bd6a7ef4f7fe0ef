/**
 * A CSV file the person chooses: one example per row, numeric features, the label column
 * chosen in the form (the last by default), and the task too: classes to tell apart or a
 * number to predict. Parsing, checks and the split live in `csv-table.ts`; the exported
 * script reads the file the same way: the same split (the seeded generator ported to Python)
 * and the same standardisation with the training rows' mean and deviation.
 */
import { pyStr } from '../emit/python';
import { CSV_TEST_FRACTION, csvDataset } from './csv-table';
import { DataError } from './errors';
import { defineDataset, pyEncodeTargets } from './spec';

const py = (labelColumn: string | undefined, task: string, encode: string) => `CSV_PATH = "data.csv"  # the file the graph was trained on; --csv PATH overrides
LABEL_COLUMN = ${pyStr(labelColumn ?? '')}  # "" is the last column
TASK = ${pyStr(task)}


def _csv_number(s):
    try:
        v = float(s)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def _standardise(train, test):
    """z-score with the training rows' mean and deviation (a constant column maps to 0), as the browser does."""
    mean, std = train.mean(0), train.std(0)
    std = np.where(std > 1e-12, std, 1)
    return ((train - mean) / std).astype("float32"), ((test - mean) / std).astype("float32")


def load_data():
    """The CSV as the browser reads it: numeric features standardised, a seeded ${Math.round(CSV_TEST_FRACTION * 100)}% test split."""
    path = sys.argv[sys.argv.index("--csv") + 1] if "--csv" in sys.argv else CSV_PATH
    with open(path, newline="", encoding="utf-8-sig") as f:
        text = f.read()
    first = text.splitlines()[0] if text else ""
    delimiter = max([",", ";", "\\t"], key=first.count)
    rows = [[v.strip() for v in r] for r in csv.reader(io.StringIO(text), delimiter=delimiter)
            if r and not (len(r) == 1 and not r[0].strip())]
    header, body = rows[0], rows[1:]
    j = header.index(LABEL_COLUMN or header[-1])
    x = np.array([[float(v) for k, v in enumerate(r) if k != j] for r in body], dtype="float32").astype("float64")
    labels = [r[j] for r in body]
    if TASK == "classification":
        classes = list(dict.fromkeys(labels))
        if all(_csv_number(v) is not None for v in classes):
            classes.sort(key=float)
        else:
            classes.sort(key=lambda s: (s.casefold(), s.swapcase()))
        y = np.array([classes.index(v) for v in labels], dtype="int64")
    else:
        y = np.array([float(v) for v in labels], dtype="float32").astype("float64")
    rand = _Mulberry32(SETTINGS["seed"])
    order = _shuffle(list(range(len(body))), rand)
    n_train = len(body) - max(1, _js_round(len(body) * ${CSV_TEST_FRACTION}))
    train, test = order[:n_train], order[n_train:]
    x_train, x_test = _standardise(x[train], x[test])
    y_train, y_test = y[train], y[test]
    if TASK == "regression":
        y_train, y_test = _standardise(y_train, y_test)
    x_train, x_test = x_train.reshape((-1,) + INPUT_SHAPE), x_test.reshape((-1,) + INPUT_SHAPE)${encode}
    return (x_train, y_train), (x_test, y_test)`;

export const csv = defineDataset({
  id: 'csv',
  title: 'CSV file',
  group: 'yours',
  description: 'A table of your own: a header row, then one example per row. The features must be numbers; the label column holds the classes or the number to predict.',
  task: (s) => s.task,
  fields: ['labelColumn', 'task'],
  upload: 'csv',
  info({ settings, upload }) {
    if (upload?.kind !== 'csv') return { info: null, error: null };
    try {
      const ds = csvDataset(upload.table, { labelColumn: settings.labelColumn, task: settings.task, seed: settings.seed, fileName: upload.fileName });
      return { info: { id: 'csv', title: `"${upload.fileName}"`, task: ds.task, featureShape: ds.featureShape, classNames: ds.classNames }, error: null, csv: ds };
    } catch (err) {
      if (err instanceof DataError) return { info: null, error: err.message };
      throw err;
    }
  },
  trainCount: (_, outcome) => outcome.csv?.train.n,
  async load({ settings, services }) {
    const file = services.csv();
    if (!file) throw new DataError('Choose a CSV file to train on.');
    return csvDataset(file.table, { labelColumn: settings.labelColumn, task: settings.task, seed: settings.seed, fileName: file.fileName });
  },
  python: ({ settings, encoding, units }) => py(settings.labelColumn, settings.task, encoding === 'value' ? '\n    y_train, y_test = y_train.reshape(-1, 1), y_test.reshape(-1, 1)' : pyEncodeTargets(encoding, units)),
});
