/**
 * CSV for spreadsheets (RFC 4180: every field quoted, CRLF rows). File names are user data, so a
 * cell a spreadsheet would run as a formula (= + - @, or a leading tab / carriage return) is
 * prefixed with `'`, the OWASP advice against CSV injection.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** A file name made of the safe parts of `base`, e.g. "My photos" → "my-photos". */
export function fileSlug(base: string, fallback = 'dataset'): string {
  const slug = base
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug || fallback;
}

/**
 * Saves text as a file through a Blob and an `<a download>`: works in the browser host and in the
 * Electron window alike, with no host request. A byte-order mark lets spreadsheets read UTF-8.
 */
export function downloadText(text: string, fileName: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob(['\ufeff', text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own reference by now; give slow hosts a moment anyway.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
