/** `/media/<media path>` of the browser host: the same media as the desktop's latent-media protocol. */
import { createReadStream } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { AppCore } from '../main/core/app-core';

export async function serveMedia(core: AppCore, mediaPath: string, response: ServerResponse): Promise<void> {
  const media = await core
    .media(mediaPath)
    .catch(() => ({ kind: 'missing' as const, message: 'Not found.' }));
  if (media.kind === 'missing') {
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end(media.message);
    return;
  }
  if (media.kind === 'bytes') {
    response.writeHead(200, { 'Content-Type': media.contentType, 'Cache-Control': 'no-store' });
    response.end(media.bytes);
    return;
  }
  response.writeHead(200, {
    'Content-Type': media.contentType,
    'Content-Disposition': `attachment; filename="${media.downloadName}"`,
  });
  createReadStream(media.file)
    .on('error', () => response.destroy())
    .pipe(response);
}
