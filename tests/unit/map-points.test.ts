import { describe, expect, it } from 'vitest';
import {
  keepVisible,
  presentClasses,
  searchPoints,
  selectionMask,
  visibleMask,
} from '../../src/renderer/src/lib/map-points';

const POINTS = {
  count: 6,
  names: [
    'cats/tabby 7.png',
    'dogs/pug.png',
    'cats/Siamese.jpg',
    'dogs/corgi 3.png',
    'birds/7 robins.png',
    'x.png',
  ],
  labels: Uint8Array.from([0, 1, 0, 1, 2, 3]),
  classNames: ['cats', 'dogs', 'birds', '7'],
};

const list = (indices: Uint32Array) => Array.from(indices);

describe('searching the map', () => {
  it('finds file names containing the query, in any case', () => {
    expect(list(searchPoints(POINTS, 'siam'))).toEqual([2]);
    expect(list(searchPoints(POINTS, '  .PNG '))).toEqual([0, 1, 3, 4, 5]);
  });

  it('takes a query that names a class as that class alone', () => {
    // "7" is a class here: not every file with a 7 in its name.
    expect(list(searchPoints(POINTS, '7'))).toEqual([5]);
    expect(list(searchPoints(POINTS, 'DOGS'))).toEqual([1, 3]);
  });

  it('matches part of a label too', () => {
    expect(list(searchPoints(POINTS, 'bird'))).toEqual([4]);
  });

  it('finds nothing for an empty query or a stranger', () => {
    expect(list(searchPoints(POINTS, '   '))).toEqual([]);
    expect(list(searchPoints(POINTS, 'zebra'))).toEqual([]);
  });
});

describe('masks', () => {
  it('hides the points of hidden categories, and needs no mask when none is hidden', () => {
    const categories = Uint16Array.from([0, 1, 2, 1, 0]);
    expect(visibleMask(categories, new Set())).toBeNull();
    expect(Array.from(visibleMask(categories, new Set([1]))!)).toEqual([1, 0, 1, 0, 1]);
  });

  it('keeps only visible points of a selection', () => {
    const visible = Uint8Array.from([1, 0, 1, 0, 1]);
    expect(list(keepVisible(Uint32Array.from([0, 1, 3, 4]), visible))).toEqual([0, 4]);
    expect(list(keepVisible(Uint32Array.from([1, 3]), null))).toEqual([1, 3]);
  });

  it('marks selected points, and an empty selection dims nothing', () => {
    expect(Array.from(selectionMask(Uint32Array.from([1, 3, 9]), 5)!)).toEqual([0, 1, 0, 1, 0]);
    expect(selectionMask(new Uint32Array(0), 5)).toBeNull();
  });

  it('counts the classes present among the points', () => {
    expect(presentClasses(Uint8Array.from([0, 2, 2, 0, 7]), 3)).toBe(2);
    expect(presentClasses(new Uint8Array(0), 10)).toBe(0);
  });
});
