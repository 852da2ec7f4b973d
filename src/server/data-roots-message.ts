/** What the browser host prints at start about the folders it lets the page open, and why. */
import type { DefaultRoot } from '../main/core/default-data-roots';
import { UPLOAD_LIMITS } from '../shared/uploads';

export function dataRootsMessage(given: string[], defaults: DefaultRoot[], uploads: string): string {
  const areaGb = UPLOAD_LIMITS.areaBytes / 1024 ** 3;
  const uploadsLine = `Uploads: folders uploaded from the browser go to ${uploads} (up to ${areaGb} GB in all).`;
  if (given.length > 0) return [`Dataset folders: ${given.join(', ')}`, uploadsLine].join('\n');
  if (defaults.length === 0) {
    return [
      'Dataset folders: none by default (no ~/Pictures; the current folder has no images, or is your home).',
      '  Upload a folder from the browser, or start with --data-root DIR.',
      uploadsLine,
    ].join('\n');
  }
  return [
    'Dataset folders (default — start with --data-root DIR to choose others):',
    ...defaults.map((root) => `  ${root.shownAs}  (${root.why})`),
    uploadsLine,
  ].join('\n');
}
