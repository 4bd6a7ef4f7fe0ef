/**
 * CSV upload: a header row, then one example per row. Features must be numbers; the label
 * column may hold class names (classification) or numbers (regression). Features are
 * standardised (z-score) with the training rows' mean and deviation, and so is a regression
 * target. A bad file gets a message that names the row (row 1 is the header, as in a
 * spreadsheet) and the column.
 */
import { DataError } from './errors';
import { mulberry32, shuffleInPlace } from './rng';
import type { Dataset, Task } from './types';

export interface CsvTable {
  header: string[];
  /** Data rows, every one as long as the header. */
  rows: string[][];
  /** The file's row number (1-based, the header being row 1) of each data row. */
  rowNumbers: number[];
  delimiter: string;
}

/** Share of the rows kept aside as the test split (seeded, fixed per seed). */
export const CSV_TEST_FRACTION = 0.2;
/** More distinct labels than this is almost surely a regression target. */
export const MAX_CLASSES = 100;

const DELIMITERS = [',', ';', '\t'];

function detectDelimiter(firstLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const count = firstLine.split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/** Splits CSV text into records (RFC 4180 quoting), each with the row number it starts on. */
function records(text: string, delimiter: string): { fields: string[]; row: number }[] {
  const out: { fields: string[]; row: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let row = 1;
  let startRow = 1;
  let i = 0;
  const endRecord = () => {
    fields.push(field);
    const blank = fields.length === 1 && fields[0].trim() === '';
    if (!blank) out.push({ fields, row: startRow });
    fields = [];
    field = '';
  };
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (c === '\n') row++;
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      row++;
      startRow = row;
    } else {
      field += c;
    }
    i++;
  }
  if (quoted) throw new DataError(`Row ${startRow} opens a quoted value (") that is never closed.`);
  if (field !== '' || fields.length > 0) endRecord();
  return out;
}

/** Parses CSV text with a header row. Throws DataError naming the first bad row. */
export function parseCsv(text: string): CsvTable {
  const clean = text.replace(/^\uFEFF/, '');
  if (clean.trim() === '') throw new DataError('The file is empty: a CSV needs a header row and at least two data rows.');
  const firstLine = clean.slice(0, clean.search(/\r|\n|$/));
  const delimiter = detectDelimiter(firstLine);
  const recs = records(clean, delimiter);
  const header = recs[0].fields.map((h) => h.trim());
  header.forEach((h, j) => {
    if (h === '') throw new DataError(`Row ${recs[0].row} (the header): column ${j + 1} has no name.`);
    const first = header.indexOf(h);
    if (first !== j) throw new DataError(`Row ${recs[0].row} (the header): the column name "${h}" appears twice (columns ${first + 1} and ${j + 1}).`);
  });
  if (header.length < 2) {
    throw new DataError(`Row ${recs[0].row} (the header) has one column only; a CSV for training needs at least one feature and a label. Columns are separated by commas, semicolons or tabs.`);
  }
  const body = recs.slice(1);
  if (body.length === 0) throw new DataError('The file has a header row but no data rows.');
  for (const r of body) {
    if (r.fields.length !== header.length) {
      throw new DataError(`Row ${r.row} has ${r.fields.length} value${r.fields.length === 1 ? '' : 's'}, but the header has ${header.length} columns.`);
    }
  }
  return { header, rows: body.map((r) => r.fields.map((f) => f.trim())), rowNumbers: body.map((r) => r.row), delimiter };
}

function toNumber(s: string): number | null {
  if (s === '') return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

function naturalOrder(values: string[]): string[] {
  const unique = [...new Set(values)];
  if (unique.every((v) => toNumber(v) !== null)) return unique.sort((a, b) => Number(a) - Number(b));
  return unique.sort((a, b) => a.localeCompare(b));
}

export interface CsvOptions {
  /** The label column; defaults to the last column. */
  labelColumn?: string;
  task: Task;
  seed: number;
  fileName?: string;
}

/** Mean and standard deviation; a constant column gets a deviation of 1 so it maps to 0. */
function stats(values: Float32Array | number[]): { mean: number; std: number } {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (values[i] - mean) ** 2;
  const std = Math.sqrt(v / n);
  return { mean, std: std > 1e-12 ? std : 1 };
}

/**
 * Turns a parsed table into a data set: checks every value, splits the rows with the seed
 * (80% train, 20% test) and standardises. Throws DataError naming the row and column at fault.
 */
export function csvDataset(table: CsvTable, opts: CsvOptions): Dataset {
  const labelColumn = opts.labelColumn && opts.labelColumn !== '' ? opts.labelColumn : table.header[table.header.length - 1];
  const labelIndex = table.header.indexOf(labelColumn);
  if (labelIndex < 0) {
    throw new DataError(`There is no column "${labelColumn}" to predict; the columns are ${table.header.map((h) => `"${h}"`).join(', ')}.`);
  }
  if (table.rows.length < 2) throw new DataError('The file needs at least two data rows: one to train on and one to test.');
  const featureIdx = table.header.map((_, j) => j).filter((j) => j !== labelIndex);
  const featureNames = featureIdx.map((j) => table.header[j]);
  const n = table.rows.length;
  const d = featureIdx.length;

  const x = new Float32Array(n * d);
  table.rows.forEach((row, i) => {
    featureIdx.forEach((j, k) => {
      const v = toNumber(row[j]);
      if (v === null) {
        const name = table.header[j];
        if (row[j] === '') throw new DataError(`Row ${table.rowNumbers[i]}, column "${name}" is empty; every feature needs a number.`);
        const allText = table.rows.every((r) => toNumber(r[j]) === null);
        throw new DataError(
          `Row ${table.rowNumbers[i]}, column "${name}": "${row[j]}" is not a number; feature columns must hold numbers.` +
            (allText ? ` The whole column is text: remove it from the file, or choose it as the label.` : ''),
        );
      }
      x[i * d + k] = v;
    });
  });

  const y = new Float32Array(n);
  let classNames: string[] = [];
  const labels = table.rows.map((r) => r[labelIndex]);
  labels.forEach((v, i) => {
    if (v === '') throw new DataError(`Row ${table.rowNumbers[i]}: the label "${labelColumn}" is empty.`);
  });
  if (opts.task === 'classification') {
    classNames = naturalOrder(labels);
    if (classNames.length < 2) throw new DataError(`The label column "${labelColumn}" has a single value ("${classNames[0]}"); classification needs at least two classes.`);
    if (classNames.length > MAX_CLASSES) {
      throw new DataError(`The label column "${labelColumn}" has ${classNames.length} different values; that looks like a number to predict: choose the task "regression".`);
    }
    const index = new Map(classNames.map((c, k) => [c, k]));
    labels.forEach((v, i) => {
      y[i] = index.get(v)!;
    });
  } else {
    labels.forEach((v, i) => {
      const t = toNumber(v);
      if (t === null) throw new DataError(`Row ${table.rowNumbers[i]}, column "${labelColumn}": "${v}" is not a number; a regression target must be numeric (or choose the task "classification").`);
      y[i] = t;
    });
  }

  const order = shuffleInPlace(Array.from({ length: n }, (_, i) => i), mulberry32(opts.seed));
  const nTest = Math.max(1, Math.round(n * CSV_TEST_FRACTION));
  const nTrain = n - nTest;
  const take = (ids: number[]) => {
    const xs = new Float32Array(ids.length * d);
    const ys = new Float32Array(ids.length);
    ids.forEach((src, i) => {
      xs.set(x.subarray(src * d, src * d + d), i * d);
      ys[i] = y[src];
    });
    return { x: xs, y: ys, n: ids.length };
  };
  const train = take(order.slice(0, nTrain));
  const test = take(order.slice(nTrain));

  for (let k = 0; k < d; k++) {
    const col = new Float32Array(nTrain);
    for (let i = 0; i < nTrain; i++) col[i] = train.x[i * d + k];
    const { mean, std } = stats(col);
    for (const s of [train, test]) for (let i = 0; i < s.n; i++) s.x[i * d + k] = (s.x[i * d + k] - mean) / std;
  }
  let target: Dataset['target'];
  if (opts.task === 'regression') {
    target = stats(train.y);
    for (const s of [train, test]) for (let i = 0; i < s.n; i++) s.y[i] = (s.y[i] - target.mean) / target.std;
  }

  const file = opts.fileName ? `"${opts.fileName}"` : 'The file';
  return {
    id: 'csv',
    title: opts.fileName ?? 'CSV',
    task: opts.task,
    featureShape: [d],
    classNames,
    xScale: 1,
    train,
    test,
    kind: 'table',
    featureNames,
    labelName: labelColumn,
    target,
    source: `${file}: ${n} rows, ${d} feature${d === 1 ? '' : 's'} (standardised), label "${labelColumn}"${opts.task === 'classification' ? ` with ${classNames.length} classes` : ''}; ${nTrain} rows for training, ${nTest} for test (seed ${opts.seed}).`,
  };
}
