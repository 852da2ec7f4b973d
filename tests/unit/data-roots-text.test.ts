import { describe, expect, it } from 'vitest';
import { defaultRootsNote, rootNote } from '../../src/renderer/src/lib/folder-roots-text';
import { dataRootsMessage } from '../../src/server/data-roots-message';

const pictures = {
  folder: '/home/me/Pictures',
  origin: 'pictures',
  shownAs: '~/Pictures',
  why: 'your Pictures folder',
} as const;

describe('what the host and the folder browser say about the roots', () => {
  it('prints the default roots and why, and how to choose others', () => {
    const text = dataRootsMessage([], [pictures], '/data/uploads');
    expect(text).toContain('Dataset folders (default — start with --data-root DIR to choose others):');
    expect(text).toContain('  ~/Pictures  (your Pictures folder)');
    expect(text).toContain('/data/uploads');
  });

  it('names the given roots only, and says what to do when there is none', () => {
    expect(dataRootsMessage(['/srv/a'], [], '/u')).toMatch(/^Dataset folders: \/srv\/a\n/);
    expect(dataRootsMessage([], [], '/u')).toMatch(/none by default[\s\S]*--data-root DIR/);
  });

  it('notes default and upload roots in the folder browser, not roots the user named', () => {
    const roots = [
      { id: 'a', name: 'Pictures', origin: 'pictures', shownAs: '~/Pictures' },
      { id: 'b', name: 'shoot', origin: 'current-folder', shownAs: '/srv/shoot' },
      { id: 'c', name: 'Uploads', origin: 'uploads' },
    ] as const;
    expect(defaultRootsNote(roots)).toBe(
      'Folders from ~/Pictures and /srv/shoot (default — start with --data-root DIR to choose others).',
    );
    expect(defaultRootsNote([{ id: 'x', name: 'photos' }, roots[2]])).toBeNull();
    expect(roots.map(rootNote)).toEqual([
      '~/Pictures · your Pictures folder',
      '/srv/shoot · where the host was started',
      'Folders uploaded from this browser',
    ]);
    expect(rootNote({ id: 'x', name: 'photos' })).toBeNull();
  });
});
