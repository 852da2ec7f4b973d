/**
 * The command line as a user runs it: a child process on the TypeScript sources, with the
 * backend chosen by the options (not the environment the tests run in).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect } from 'vitest';

const CLI_SOURCE = path.resolve(__dirname, '../../src/cli/main.ts');

export interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `latent-studio …args`; `onStderr` sees everything written to stderr so far, after each chunk. */
export function cli(
  args: string[],
  onStderr?: (text: string, child: ReturnType<typeof spawn>) => void,
  env: Record<string, string> = {},
): Promise<CliOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI_SOURCE, ...args], {
      env: { ...process.env, LATENT_STUDIO_BACKEND: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * `--name value` pairs in the order given, for a command line: `flags({ data, epochs: '1' })` is
 * `['--data', data, '--epochs', '1']`.
 */
export function flags(options: Record<string, string>): string[] {
  return Object.entries(options).flatMap(([name, value]) => [`--${name}`, value]);
}

/** The text of `latent-studio <command> --help`, which must exit cleanly. */
export async function helpText(command: string): Promise<string> {
  const help = await cli([command, '--help']);
  expect(help.code).toBe(0);
  return help.stderr;
}

/** What `latent-studio …args` wrote to stderr when it refused the command line (exit code 2). */
export async function refusal(args: string[]): Promise<string> {
  const refused = await cli(args);
  expect(refused.code).toBe(2);
  return refused.stderr;
}
