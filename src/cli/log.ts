/** Everything the commands say goes to stderr, so stdout stays clean for data (`--out -`). */
export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Thousands separators for counts and rates, fixed to English so output is the same everywhere. */
export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
