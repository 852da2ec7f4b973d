/** The per-point bounded heaps `knn.ts` keeps its nearest candidates in, and their heap steps. */

/**
 * Bounded max-heaps, one per point, in flat arrays. `worst[i]` mirrors the root of point i's heap
 * (its current k-th squared distance, Infinity until k candidates arrived) in one contiguous array,
 * so rejecting a candidate touches no heap.
 */
export class NeighbourHeaps {
  readonly distance: Float64Array;
  readonly index: Int32Array;
  readonly worst: Float64Array;

  constructor(
    count: number,
    private readonly k: number,
  ) {
    this.distance = new Float64Array(count * k).fill(Infinity);
    this.index = new Int32Array(count * k).fill(-1);
    this.worst = new Float64Array(count).fill(Infinity);
  }

  /** Offers the pair (i, j) at squared distance d to both points' lists. */
  offer(i: number, j: number, d: number): void {
    const worst = this.worst;
    if (d < worst[i]!) this.push(i, j, d);
    if (d < worst[j]!) this.push(j, i, d);
  }

  /** Replaces the root (the worst) of point i's heap with a closer candidate and sifts it down. */
  private push(point: number, candidate: number, distance: number): void {
    const k = this.k;
    const base = point * k;
    const heapDistance = this.distance;
    const heapIndex = this.index;
    let slot = 0;
    for (;;) {
      const left = 2 * slot + 1;
      if (left >= k) break;
      const right = left + 1;
      let largest = left;
      if (right < k && heapDistance[base + right]! > heapDistance[base + left]!) largest = right;
      if (heapDistance[base + largest]! <= distance) break;
      heapDistance[base + slot] = heapDistance[base + largest]!;
      heapIndex[base + slot] = heapIndex[base + largest]!;
      slot = largest;
    }
    heapDistance[base + slot] = distance;
    heapIndex[base + slot] = candidate;
    this.worst[point] = heapDistance[base]!;
  }
}

/** Swaps entries a and b of two parallel arrays (distances and the indices they belong to). */
export function swap(distance: Float64Array, index: Int32Array, a: number, b: number): void {
  const d = distance[a]!;
  distance[a] = distance[b]!;
  distance[b] = d;
  const i = index[a]!;
  index[a] = index[b]!;
  index[b] = i;
}

/** Restores the max-heap property of distance[0…size) after its root changed. */
export function siftDown(distance: Float64Array, index: Int32Array, size: number): void {
  let slot = 0;
  for (;;) {
    const left = 2 * slot + 1;
    if (left >= size) return;
    const right = left + 1;
    const largest = right < size && distance[right]! > distance[left]! ? right : left;
    if (distance[largest]! <= distance[slot]!) return;
    swap(distance, index, slot, largest);
    slot = largest;
  }
}
