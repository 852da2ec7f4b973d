/**
 * What a tab holding another start's token is handed: the new address only on a loopback bind and
 * only for a token an earlier start of this data folder printed; otherwise the message alone.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { newAccessToken } from '../../src/server/access-token';
import { rememberStartToken } from '../../src/server/earlier-tokens';
import { isLoopbackBind, staleTokenAddress } from '../../src/server/stale-token';

const EARLIER = 'earlier-token-0123456789abcdefghij';
const CURRENT = 'current-token-0123456789abcdefghij';
const ask = (bind: string, offered = EARLIER, origin = 'http://127.0.0.1:5317') =>
  staleTokenAddress({ bind, origin, offered, token: CURRENT, isEarlierToken: (t) => t === EARLIER });

describe('stale token answer', () => {
  it('hands the new address on a loopback bind to a tab with an earlier token', () => {
    expect(ask('127.0.0.1')).toBe(`http://127.0.0.1:5317/#token=${CURRENT}`);
    expect(ask('::1', EARLIER, 'http://[::1]:5317')).toBe(`http://[::1]:5317/#token=${CURRENT}`);
    expect(ask('localhost', EARLIER, 'http://localhost:5317')).toBe(
      `http://localhost:5317/#token=${CURRENT}`,
    );
  });

  it('hands nothing on a bind other machines reach', () => {
    for (const bind of ['0.0.0.0', '::', '192.168.1.20', 'studio.example'])
      expect(ask(bind), bind).toBeNull();
  });

  it('hands nothing to a token no earlier start printed (a guess, or a forged origin)', () => {
    expect(ask('127.0.0.1', 'guessed-token')).toBeNull();
  });

  it('hands nothing that would not fit a close reason', () => {
    expect(ask('127.0.0.1', EARLIER, `http://${'a'.repeat(100)}.example:5317`)).toBeNull();
  });

  it('knows loopback binds', () => {
    for (const bind of ['127.0.0.1', '127.8.9.10', '::1', '[::1]', 'localhost', 'LOCALHOST'])
      expect(isLoopbackBind(bind), bind).toBe(true);
    for (const bind of ['0.0.0.0', '::', '', '10.0.0.1', '128.0.0.1', 'example.com'])
      expect(isLoopbackBind(bind), bind).toBe(false);
  });
});

describe('earlier start tokens', () => {
  it('recognises the tokens of earlier starts of the same data folder, not this one or others', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-tokens-'));
    const first = newAccessToken();
    const second = newAccessToken();
    expect((await rememberStartToken(directory, first))(first)).toBe(false);
    const isEarlier = await rememberStartToken(directory, second);
    expect(isEarlier(first)).toBe(true);
    expect(isEarlier(second)).toBe(false);
    expect(isEarlier(newAccessToken())).toBe(false);
    // Fingerprints only: the file holds no token.
    const stored = await readFile(path.join(directory, 'browser-host-tokens.json'), 'utf8');
    expect(stored).not.toContain(first);
    expect(stored).not.toContain(second);
    const elsewhere = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-tokens-'));
    expect((await rememberStartToken(elsewhere, newAccessToken()))(first)).toBe(false);
  });

  it('forgets starts beyond the last few', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-tokens-'));
    const oldest = newAccessToken();
    await rememberStartToken(directory, oldest);
    for (let i = 0; i < 7; i++) await rememberStartToken(directory, newAccessToken());
    const ninth = await rememberStartToken(directory, newAccessToken());
    expect(ninth(oldest)).toBe(true);
    const tenth = await rememberStartToken(directory, newAccessToken());
    expect(tenth(oldest)).toBe(false);
  });

  it('starts with no earlier tokens from a damaged file, and repairs it', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-tokens-'));
    const file = path.join(directory, 'browser-host-tokens.json');
    for (const text of ['{"fingerprints": [', '{"fingerprints": ["short"]}', '[]', 'null']) {
      await writeFile(file, text);
      const token = newAccessToken();
      expect((await rememberStartToken(directory, token))(token), text).toBe(false);
      expect((await rememberStartToken(directory, newAccessToken()))(token), text).toBe(true);
    }
  });

  it('still starts when the data folder cannot be written', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-tokens-'));
    const blocker = path.join(directory, 'a-file');
    await writeFile(blocker, '');
    const isEarlier = await rememberStartToken(path.join(blocker, 'data'), newAccessToken());
    expect(isEarlier(newAccessToken())).toBe(false);
  });
});
