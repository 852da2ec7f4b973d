/**
 * The deny-list filter of scripts/electronegativity.mjs on small SARIF files, through its CLI
 * (`--sarif`): a denied finding fails, allowed exceptions and reported-only rules pass.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = path.resolve(__dirname, '../../scripts/electronegativity.mjs');
const dir = mkdtempSync(path.join(os.tmpdir(), 'electronegativity-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Finding {
  ruleId: string;
  level: 'note' | 'warning';
  file: string;
  line: number;
  text?: string;
}

function judge(findings: Finding[]): { code: number | null; out: string } {
  const sarif = {
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Electronegativity', rules: [] } },
        results: findings.map((f) => ({
          ruleId: f.ruleId,
          level: f.level,
          message: { text: f.text ?? `${f.ruleId} message` },
          locations: [
            { physicalLocation: { artifactLocation: { uri: f.file }, region: { startLine: f.line } } },
          ],
        })),
      },
    ],
  };
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.sarif`);
  writeFileSync(file, JSON.stringify(sarif));
  const result = spawnSync(process.execPath, [SCRIPT, '--sarif', file], { encoding: 'utf8' });
  return { code: result.status, out: result.stdout + result.stderr };
}

describe('electronegativity deny-list', () => {
  it('fails on a denied rule and prints it with file:line', () => {
    const { code, out } = judge([
      { ruleId: 'CONTEXT_ISOLATION_JS_CHECK', level: 'warning', file: 'src/main/window.ts', line: 17 },
    ]);
    expect(code).toBe(1);
    expect(out).toContain('DENIED   CONTEXT_ISOLATION_JS_CHECK src/main/window.ts:17');
  });

  it('passes reported-only rules and the allowed exceptions', () => {
    const { code, out } = judge([
      { ruleId: 'PRELOAD_JS_CHECK', level: 'note', file: 'src/main/window.ts', line: 26 },
      { ruleId: 'AUXCLICK_JS_CHECK', level: 'warning', file: 'src/main/window.ts', line: 17 },
      { ruleId: 'OPEN_EXTERNAL_JS_CHECK', level: 'note', file: 'src/main/security.ts', line: 19 },
      { ruleId: 'CSP_GLOBAL_CHECK', level: 'note', file: 'src/renderer/index.html', line: 6 },
    ]);
    expect(code).toBe(0);
    expect(out).toContain('reported PRELOAD_JS_CHECK src/main/window.ts:26');
    expect(out).toContain('allowed  OPEN_EXTERNAL_JS_CHECK src/main/security.ts:19');
    expect(out).toContain('0 denied, 2 allowed exception(s), 2 reported only');
  });

  it('keeps exceptions narrow: openExternal elsewhere and a certainly weak or missing CSP fail', () => {
    expect(
      judge([{ ruleId: 'OPEN_EXTERNAL_JS_CHECK', level: 'note', file: 'src/main/ipc.ts', line: 3 }]).code,
    ).toBe(1);
    expect(judge([{ ruleId: 'CSP_GLOBAL_CHECK', level: 'warning', file: 'file:///', line: 1 }]).code).toBe(1);
  });

  it('passes an empty result', () => {
    expect(judge([]).code).toBe(0);
  });
});
