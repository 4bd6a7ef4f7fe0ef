/** A problem with a person's data, said so that they can fix the file (row, column, value). */
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}
