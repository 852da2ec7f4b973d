/** Serves the built renderer; only files inside its folder, never a path that climbs out. */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
};

export async function serveStatic(root: string, urlPath: string, response: ServerResponse): Promise<boolean> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return false;
  }
  if (decoded.includes('\0')) return false;
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const rootReal = await realpath(root);
  const candidate = path.resolve(rootReal, relative);
  if (!candidate.startsWith(rootReal + path.sep)) return false;
  try {
    const real = await realpath(candidate);
    if (!real.startsWith(rootReal + path.sep) || !(await stat(real)).isFile()) return false;
    response.writeHead(200, {
      'Content-Type': MIME_TYPES[path.extname(real)] ?? 'application/octet-stream',
      'Cache-Control': real.endsWith('.html') ? 'no-store' : 'max-age=3600',
    });
    createReadStream(real).pipe(response);
    return true;
  } catch {
    return false;
  }
}
