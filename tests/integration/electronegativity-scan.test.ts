/**
 * scripts/electronegativity.mjs scanning for real (offline): a copy of our main, preload and HTML
 * with contextIsolation turned off fails, and our own sources pass.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const SCRIPT = path.join(ROOT, 'scripts/electronegativity.mjs');
const dir = mkdtempSync(path.join(os.tmpdir(), 'electronegativity-scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function scan(args: string[]): { code: number | null; out: string } {
  const result = spawnSync(process.execPath, [SCRIPT, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, out: result.stdout + result.stderr };
}

describe('electronegativity scan', () => {
  it('passes on our sources', () => {
    const { code, out } = scan([]);
    expect(out).toContain('0 denied');
    expect(code).toBe(0);
  });

  it('fails when the window turns contextIsolation off', () => {
    for (const part of ['src/main', 'src/preload', 'src/renderer/index.html']) {
      cpSync(path.join(ROOT, part), path.join(dir, part), { recursive: true });
    }
    const window = path.join(dir, 'src/main/window.ts');
    const source = readFileSync(window, 'utf8');
    expect(source).toContain('contextIsolation: true');
    writeFileSync(window, source.replace('contextIsolation: true', 'contextIsolation: false'));
    const { code, out } = scan(['--root', dir]);
    expect(out).toMatch(/DENIED {3}CONTEXT_ISOLATION_JS_CHECK src\/main\/window\.ts:\d+/);
    expect(code).toBe(1);
  });
});
