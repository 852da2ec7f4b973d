/**
 * Fingerprints (SHA-256) of the tokens of this data folder's last few browser-host starts, so that
 * a tab left open from an earlier start can prove it was once given the address, and only then be
 * handed the new one (see `staleTokenAnswer` in `stale-token.ts`). Only fingerprints are kept: the
 * file gives nobody a token, and a token is 192 random bits, so a fingerprint cannot be reversed.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../main/engine/fs/atomic-write';

const FILE_NAME = 'browser-host-tokens.json';
/** Starts remembered: a tab left open across more restarts than this is told to open the address. */
const KEPT_STARTS = 8;

const fingerprintSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
const fileSchema = z.object({ fingerprints: z.array(fingerprintSchema).max(64) });

function fingerprint(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

async function readFingerprints(file: string): Promise<string[]> {
  try {
    const parsed = fileSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    if (parsed.success) return parsed.data.fingerprints;
    console.warn(`[latent-studio] ${file} is damaged; earlier tabs will not be sent the new address.`);
  } catch {
    // First start in this data folder, or an unreadable file: no earlier tokens.
  }
  return [];
}

/**
 * Records `token` as this start's and answers whether an offered token belongs to an earlier start.
 * A folder that cannot be written only costs earlier tabs their link, never the start.
 */
export async function rememberStartToken(
  dataDirectory: string,
  token: string,
): Promise<(offered: string) => boolean> {
  const file = path.join(dataDirectory, FILE_NAME);
  const earlier = await readFingerprints(file);
  const current = fingerprint(token);
  const kept = [current, ...earlier.filter((f) => f !== current)].slice(0, KEPT_STARTS);
  try {
    await mkdir(dataDirectory, { recursive: true });
    await writeFileAtomic(file, JSON.stringify({ fingerprints: kept }));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.warn(`[latent-studio] could not remember this start's token: ${reason}`);
  }
  const known = new Set(earlier.filter((f) => f !== current));
  return (offered) => known.has(fingerprint(offered));
}
