/**
 * The media both hosts serve (the `latent-media:` protocol on the desktop, `/media/` in the browser
 * host): point images and reconstructions come from the engine; exported files are read straight
 * from the run's exports folder, which only ever resolves inside it.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { RUN_ID_PATTERN } from '../../shared/run-types';
import type { EngineClient } from './engine-client';

export type MediaResponse =
  | { kind: 'bytes'; contentType: string; bytes: Uint8Array }
  | { kind: 'file'; contentType: string; file: string; downloadName: string }
  | { kind: 'missing'; message: string };

const EXPORT_NAME = /^[a-z0-9][a-z0-9._-]{0,120}$/i;
const CONTENT_TYPES: Record<string, string> = {
  '.csv': 'text/csv; charset=utf-8',
  '.tsv': 'text/tab-separated-values; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.bin': 'application/octet-stream',
  '.zip': 'application/zip',
  '.onnx': 'application/octet-stream',
  // Text to read or run elsewhere, never to render or execute in the app's origin.
  '.md': 'text/plain; charset=utf-8',
  '.py': 'text/plain; charset=utf-8',
  '.mjs': 'text/plain; charset=utf-8',
};

export async function resolveMedia(
  engine: EngineClient,
  runsDirectory: string,
  mediaPath: string,
): Promise<MediaResponse> {
  const segments = mediaPath.split('/').map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return '\0';
    }
  });
  const [kind, runId, ...rest] = segments;
  if (!runId || !RUN_ID_PATTERN.test(runId)) return { kind: 'missing', message: 'No such run.' };
  if (kind === 'image' || kind === 'reconstruction') {
    const result = await engine.request('media:get', { path: `${kind}/${runId}/${rest.join('/')}` });
    if (!result.ok) return { kind: 'missing', message: result.message };
    return { kind: 'bytes', contentType: result.value.contentType, bytes: result.value.bytes };
  }
  if (kind !== 'export' || rest.length < 1 || rest.length > 2 || !rest.every((s) => EXPORT_NAME.test(s))) {
    return { kind: 'missing', message: 'No such file.' };
  }
  const exports = path.join(runsDirectory, runId, 'exports');
  try {
    const file = await realpath(path.join(exports, ...rest));
    const root = await realpath(exports);
    if (!file.startsWith(root + path.sep)) return { kind: 'missing', message: 'No such file.' };
    // An export folder (a projector export, an image set) is not a download of its own.
    if (!(await stat(file)).isFile()) return { kind: 'missing', message: 'No such file.' };
    const contentType = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    return { kind: 'file', contentType, file, downloadName: rest.at(-1)! };
  } catch {
    return { kind: 'missing', message: 'No such file.' };
  }
}
