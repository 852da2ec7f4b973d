/** What the folder browser says about the roots a host offers and why it offers them. */
import type { FolderRoot } from '../../../shared/dataset-types';

/** A second line under a root's name; null for roots the user named or chose. */
export function rootNote(root: FolderRoot): string | null {
  switch (root.origin) {
    case 'pictures':
      return `${root.shownAs ?? 'Pictures'} · your Pictures folder`;
    case 'current-folder':
      return `${root.shownAs ?? root.name} · where the host was started`;
    case 'uploads':
      return 'Folders uploaded from this browser';
    default:
      return null;
  }
}

/** Says the host chose these roots itself, and how to choose others; null when it did not. */
export function defaultRootsNote(roots: readonly FolderRoot[]): string | null {
  const defaults = roots.filter((r) => r.origin === 'pictures' || r.origin === 'current-folder');
  if (defaults.length === 0) return null;
  const names = defaults.map((r) => r.shownAs ?? r.name).join(' and ');
  return `Folders from ${names} (default — start with --data-root DIR to choose others).`;
}
