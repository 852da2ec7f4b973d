import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCHES } from '../../bench/benches';

// bench/run.ts imports a bench by its name, so the compiler no longer checks that the file exists.
describe('the bench list', () => {
  it.each(Object.keys(BENCHES))('names a file in bench/: %s', (name) => {
    expect(existsSync(path.join(__dirname, '../../bench', `${name}.ts`))).toBe(true);
  });
});
