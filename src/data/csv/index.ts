/**
 * CSV input and output of dated matrices: `parseCsvMatrix`/`readCsvMatrix` read a wide or long table of dated values,
 * `formatCsvMatrix`/`writeCsvMatrix` write the wide table that reads back to the identical matrix.
 */

export type { CsvLayout, DateFormat, ReadCsvOptions } from './options.js';
export { parseCsvMatrix, readCsvMatrix } from './read-csv.js';
export { formatCsvMatrix, type WriteCsvOptions, writeCsvMatrix } from './write-csv.js';
