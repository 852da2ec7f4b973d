/**
 * CSV for spreadsheets (RFC 4180: text fields quoted, CRLF rows). File names are user data, so a
 * cell a spreadsheet would run as a formula (= + - @, or a leading tab / carriage return) is
 * prefixed with `'`, the OWASP advice against CSV injection. Numbers are written bare, so they
 * stay numbers.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** Text a spreadsheet would run as a formula gets a leading `'`; anything else is returned as is. */
export function formulaSafe(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function csvCell(value: string | number): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return `"${formulaSafe(value).replaceAll('"', '""')}"`;
}

export function csvRow(row: readonly (string | number)[]): string {
  return row.map(csvCell).join(',') + '\r\n';
}

export function toCsv(rows: readonly (readonly (string | number)[])[]): string {
  return rows.map(csvRow).join('');
}
