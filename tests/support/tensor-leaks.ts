/**
 * The suite-level hooks of a test file that runs real tfjs: selects `backend` once, and fails any
 * test that leaves a tensor behind (the count after each test must equal the count before it).
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { selectBackend } from '../../src/main/engine/backend';
import type { BackendName } from '../../src/shared/types';

export function useBackendWithoutLeaks(backend: BackendName): void {
  let tensorsBefore = 0;
  beforeAll(async () => {
    await selectBackend(backend);
  });
  beforeEach(() => {
    tensorsBefore = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors, 'every tensor is disposed').toBe(tensorsBefore);
  });
}
