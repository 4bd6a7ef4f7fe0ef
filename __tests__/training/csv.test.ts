/** CSV upload: parsing, the messages for bad files (naming the row), and the data set it becomes. */
import { csvDataset, parseCsv } from '@/graph-compiler/datasets/csv-table';
import { DataError } from '@/graph-compiler/datasets/errors';

const IRIS = `sepal_length,sepal_width,petal_length,petal_width,species
5.1,3.5,1.4,0.2,setosa
4.9,3.0,1.4,0.2,setosa
7.0,3.2,4.7,1.4,versicolor
6.4,3.2,4.5,1.5,versicolor
6.3,3.3,6.0,2.5,virginica
5.8,2.7,5.1,1.9,virginica
5.0,3.6,1.4,0.2,setosa
5.7,2.8,4.1,1.3,versicolor
6.5,3.0,5.8,2.2,virginica
4.6,3.1,1.5,0.2,setosa
`;

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DataError);
    return (err as Error).message;
  }
  throw new Error('expected a DataError');
}

describe('parseCsv', () => {
  it('reads a header and rows, with quotes, CRLF, a BOM and blank lines', () => {
    const t = parseCsv('\uFEFFname,"x, y",z\r\n"Ann ""A""",1,2\r\n\r\nBob,3,"4"\r\n');
    expect(t.header).toEqual(['name', 'x, y', 'z']);
    expect(t.rows).toEqual([['Ann "A"', '1', '2'], ['Bob', '3', '4']]);
    expect(t.rowNumbers).toEqual([2, 4]);
  });

  it('detects semicolons and tabs', () => {
    expect(parseCsv('a;b\n1;2\n').rows).toEqual([['1', '2']]);
    expect(parseCsv('a\tb\n1\t2\n').delimiter).toBe('\t');
  });

  it('counts rows across a quoted line break', () => {
    const t = parseCsv('a,b\n"two\nlines",1\n3,4\n');
    expect(t.rows[0][0]).toBe('two\nlines');
    expect(t.rowNumbers).toEqual([2, 4]);
    expect(message(() => parseCsv('a,b\n"two\nlines",1\n3,4,5\n'))).toBe('Row 4 has 3 values, but the header has 2 columns.');
  });

  it('names the row of a ragged line', () => {
    expect(message(() => parseCsv('a,b,c\n1,2,3\n4,5\n'))).toBe('Row 3 has 2 values, but the header has 3 columns.');
  });

  it('rejects empty files, header-only files and bad headers', () => {
    expect(message(() => parseCsv(''))).toMatch(/^The file is empty/);
    expect(message(() => parseCsv('  \n\n'))).toMatch(/^The file is empty/);
    expect(message(() => parseCsv('a,b\n'))).toBe('The file has a header row but no data rows.');
    expect(message(() => parseCsv('a,,c\n1,2,3\n'))).toBe('Row 1 (the header): column 2 has no name.');
    expect(message(() => parseCsv('a,b,a\n1,2,3\n'))).toMatch(/"a" appears twice \(columns 1 and 3\)/);
    expect(message(() => parseCsv('only\n1\n'))).toMatch(/one column only/);
    expect(message(() => parseCsv('a,b\n"1,2\n'))).toMatch(/Row 2 opens a quoted value/);
  });
});

describe('csvDataset', () => {
  const table = parseCsv(IRIS);

  it('classifies by the last column by default, classes in order', () => {
    const ds = csvDataset(table, { task: 'classification', seed: 1 });
    expect(ds.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(ds.featureShape).toEqual([4]);
    expect(ds.featureNames).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    expect(ds.train.n + ds.test.n).toBe(10);
    expect(ds.test.n).toBe(2);
    expect(ds.labelName).toBe('species');
  });

  it('standardises features with the training rows', () => {
    const ds = csvDataset(table, { task: 'classification', seed: 1 });
    for (let k = 0; k < 4; k++) {
      const col = Array.from({ length: ds.train.n }, (_, i) => ds.train.x[i * 4 + k]);
      const mean = col.reduce((a, b) => a + b, 0) / col.length;
      const sd = Math.sqrt(col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length);
      expect(mean).toBeCloseTo(0, 5);
      expect(sd).toBeCloseTo(1, 5);
    }
  });

  it('splits the same way for the same seed', () => {
    const a = csvDataset(table, { task: 'classification', seed: 5 });
    const b = csvDataset(table, { task: 'classification', seed: 5 });
    const c = csvDataset(table, { task: 'classification', seed: 6 });
    expect([...a.test.y]).toEqual([...b.test.y]);
    expect([...a.train.x]).toEqual([...b.train.x]);
    expect([...a.train.x]).not.toEqual([...c.train.x]);
  });

  it('does regression on a numeric label, with the target standardised', () => {
    const numeric = parseCsv(IRIS.split('\n').map((l) => l.split(',').slice(0, 4).join(',')).join('\n'));
    const ds = csvDataset(numeric, { task: 'regression', labelColumn: 'petal_width', seed: 1 });
    expect(ds.classNames).toEqual([]);
    expect(ds.featureNames).toEqual(['sepal_length', 'sepal_width', 'petal_length']);
    const t = ds.target!;
    const raw = [...ds.train.y, ...ds.test.y].map((v) => v * t.std + t.mean).sort((a, b) => a - b);
    expect(raw[0]).toBeCloseTo(0.2, 5);
    expect(raw[raw.length - 1]).toBeCloseTo(2.5, 5);
    const mean = ds.train.y.reduce((a, b) => a + b, 0) / ds.train.n;
    expect(mean).toBeCloseTo(0, 5);
  });

  it('says so when a text column would be a feature', () => {
    expect(message(() => csvDataset(table, { task: 'regression', labelColumn: 'petal_width', seed: 1 }))).toMatch(/column "species": "setosa" is not a number.*The whole column is text: remove it from the file, or choose it as the label/);
  });

  it('names the row and column of text in a numeric column', () => {
    const bad = parseCsv('a,b,label\n1,2,x\n3,oops,y\n5,6,x\n');
    expect(message(() => csvDataset(bad, { task: 'classification', seed: 1 }))).toBe('Row 3, column "b": "oops" is not a number; feature columns must hold numbers.');
    const text = parseCsv('name,b,label\nAnn,2,x\nBob,3,y\n');
    expect(message(() => csvDataset(text, { task: 'classification', seed: 1 }))).toMatch(/^Row 2, column "name": "Ann" is not a number.*The whole column is text/);
    const empty = parseCsv('a,b,label\n1,,x\n3,4,y\n');
    expect(message(() => csvDataset(empty, { task: 'classification', seed: 1 }))).toBe('Row 2, column "b" is empty; every feature needs a number.');
  });

  it('names the row of a bad label and refuses unusable labels', () => {
    expect(message(() => csvDataset(parseCsv('a,y\n1,2\n2,x\n'), { task: 'regression', seed: 1 }))).toMatch(/^Row 3, column "y": "x" is not a number; a regression target/);
    expect(message(() => csvDataset(parseCsv('a,y\n1,\n2,x\n'), { task: 'classification', seed: 1 }))).toBe('Row 2: the label "y" is empty.');
    expect(message(() => csvDataset(parseCsv('a,y\n1,k\n2,k\n'), { task: 'classification', seed: 1 }))).toMatch(/single value/);
    expect(message(() => csvDataset(table, { task: 'classification', labelColumn: 'nope', seed: 1 }))).toMatch(/no column "nope"/);
    const many = parseCsv(['a,y', ...Array.from({ length: 150 }, (_, i) => `${i},${i * 1.5}`)].join('\n'));
    expect(message(() => csvDataset(many, { task: 'classification', seed: 1 }))).toMatch(/choose the task "regression"/);
  });
});
