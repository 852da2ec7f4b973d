/** The request schemas' checks inside a bookmark, which the all-channels fuzz does not reach. */
import { describe, expect, it } from 'vitest';
import { BOOKMARK_LIMITS } from '../../src/shared/map-bookmarks';
import { requestSchemas } from '../../src/shared/schemas';
import { VALID_ARGS } from '../support/valid-requests';

describe('bookmark request schemas', () => {
  const schema = requestSchemas['latent:save-bookmark'];
  const base = VALID_ARGS['latent:save-bookmark'];
  const withBookmark = (change: Record<string, unknown>) => ({
    ...base,
    bookmark: { ...base.bookmark, ...change },
  });

  it('trims the name', () => {
    const parsed = schema.safeParse(withBookmark({ name: '  Sevens  ' }));
    expect(parsed.success && parsed.data.bookmark.name).toBe('Sevens');
  });

  it.each([
    ['an empty name', { name: '' }],
    ['a blank name', { name: '   ' }],
    ['a name too long', { name: 'x'.repeat(BOOKMARK_LIMITS.name + 1) }],
    ['a control character', { name: 'two\nlines' }],
    ['a C1 control', { name: 'odd\u0085' }],
    ['a NaN view', { view: { x: Number.NaN, y: 0, k: 1 } }],
    ['an infinite view', { view: { x: 0, y: Number.POSITIVE_INFINITY, k: 1 } }],
    ['a zero scale', { view: { x: 0, y: 0, k: 0 } }],
    ['a negative scale', { view: { x: 0, y: 0, k: -2 } }],
    ['a view with extra keys', { view: { x: 0, y: 0, k: 1, z: 3 } }],
    ['a fractional pin', { pinned: 1.5 }],
    ['a negative pin', { pinned: -1 }],
    ['a negative selected index', { selection: [0, -1] }],
    ['a fractional selected index', { selection: [0.5] }],
    ['a selection too big', { selection: Array.from({ length: BOOKMARK_LIMITS.selection + 1 }, () => 0) }],
    ['an unknown method', { method: 'mds' }],
    ['epoch 0', { epoch: 0 }],
    ['a negative hidden category', { hidden: [-1] }],
    ['an empty colour field', { colourBy: '' }],
    ['an id of its own', { id: 'mine' }],
    ['a time of its own', { createdAt: '2026-01-01T00:00:00.000Z' }],
  ])('refuses %s', (_, change) => {
    expect(schema.safeParse(withBookmark(change)).success).toBe(false);
  });

  it('accepts an unpinned, empty bookmark at the limits', () => {
    const full = withBookmark({
      name: 'x'.repeat(BOOKMARK_LIMITS.name),
      pinned: null,
      selection: Array.from({ length: BOOKMARK_LIMITS.selection }, (_, i) => i),
      hidden: [],
    });
    expect(schema.safeParse(full).success).toBe(true);
  });

  it('refuses a delete by an id that is not one', () => {
    const del = requestSchemas['latent:delete-bookmark'];
    expect(del.safeParse({ runId: base.runId, id: '../bookmarks' }).success).toBe(false);
    expect(del.safeParse({ runId: base.runId, id: '' }).success).toBe(false);
  });
});
