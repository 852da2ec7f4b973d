/** A set of same-sized images held as uint8 pixels (never the whole set as float32) with labels. */
export interface ImageSet {
  /** Row-major count × (size·size·channels) bytes, 0–255. */
  pixels: Uint8Array;
  labels: Uint8Array;
  count: number;
  size: number;
  channels: 1 | 3;
  classNames: string[];
}

export function pixelsPerImage(set: Pick<ImageSet, 'size' | 'channels'>): number {
  return set.size * set.size * set.channels;
}

/** The first `limit` images of a set, sharing memory with it. */
export function takeFirst(set: ImageSet, limit: number): ImageSet {
  const count = Math.min(limit, set.count);
  const stride = pixelsPerImage(set);
  return {
    ...set,
    count,
    pixels: set.pixels.subarray(0, count * stride),
    labels: set.labels.subarray(0, count),
  };
}

/**
 * Up to `count` indices spread evenly over the labels (round-robin through the classes in index
 * order), so the latent map shows every class even when the set is sorted by label.
 */
export function stratifiedIndices(labels: Uint8Array, count: number): Uint32Array {
  const byClass = new Map<number, number[]>();
  labels.forEach((label, index) => {
    const bucket = byClass.get(label);
    if (bucket) bucket.push(index);
    else byClass.set(label, [index]);
  });
  const buckets = [...byClass.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
  const wanted = Math.min(count, labels.length);
  const picked: number[] = [];
  for (let round = 0; picked.length < wanted; round++) {
    for (const bucket of buckets) {
      const index = bucket[round];
      if (index !== undefined && picked.length < wanted) picked.push(index);
    }
  }
  return Uint32Array.from(picked.sort((a, b) => a - b));
}
