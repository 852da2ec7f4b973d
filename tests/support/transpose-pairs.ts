/** Every [transposeA, transposeB] of a matrix product, for the kernel tests and the kernel bench. */
export const TRANSPOSE_PAIRS = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;
