/**
 * Error text as the window may show it: in plain words for a full or read-only data folder, and
 * without absolute paths (a path in the data folder is given relative to it).
 */
import path from 'node:path';
import { writeFailureMessage } from './fs/atomic-write';

/** Absolute paths, POSIX or Windows: quoted (they may hold spaces), or bare after a space or `(`. */
const QUOTED_PATH = /(['"`])((?:\/|[A-Za-z]:[\\/])[^'"`\n]*)\1/g;
const BARE_PATH = /(^|[\s(=])((?:\/|[A-Za-z]:[\\/])[^\s'"`),;]+)/g;

/**
 * `message` with every absolute path replaced: one under a data directory by its path relative
 * to it, any other by its base name. Error text goes to the window (and maybe a screenshot in a
 * bug report), which has no business knowing the user's folder layout.
 */
export function withoutPaths(message: string, dataDirectories: readonly string[]): string {
  const shorten = (absolute: string) => {
    for (const root of dataDirectories) {
      const relative = path.relative(root, absolute);
      if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) {
        return relative.split(path.sep).join('/');
      }
    }
    return path.win32.basename(absolute);
  };
  let text = message;
  // First by plain text, which also catches unquoted paths with spaces in the data directory.
  for (const root of dataDirectories) text = text.replaceAll(root + path.sep, '');
  return text
    .replace(QUOTED_PATH, (_, quote: string, absolute: string) => quote + shorten(absolute) + quote)
    .replace(BARE_PATH, (_, lead: string, absolute: string) => lead + shorten(absolute));
}

/** What an unexpected error tells the user: plain words for a full or read-only data folder. */
export function plainErrorMessage(error: unknown, dataDirectories: readonly string[]): string {
  const message = writeFailureMessage(error) ?? (error instanceof Error ? error.message : String(error));
  return withoutPaths(message, dataDirectories);
}
