/** CSV helpers for the renderer; the quoting rules live in shared/csv.ts. */
import { downloadUrl } from './download';

export { csvCell, toCsv } from '../../../shared/csv';

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
  downloadUrl(url, fileName);
  // The download has its own reference by now; give slow hosts a moment anyway.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
