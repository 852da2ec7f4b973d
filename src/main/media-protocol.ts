/**
 * `latent-media://app/<media path>`: point images, reconstructions and exported files for the
 * desktop window, served by the same resolver as the browser host's `/media/`. Registered as a
 * secure standard scheme so <img> and downloads work under the strict CSP.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { protocol } from 'electron';
import type { AppCore } from './core/app-core';

export const MEDIA_SCHEME = 'latent-media';

/** Must run before the app is ready. */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: MEDIA_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
    },
  ]);
}

export function handleMediaProtocol(core: AppCore): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'app' || request.method !== 'GET') return new Response('Not found.', { status: 404 });
    const media = await core.media(url.pathname.replace(/^\//, ''));
    if (media.kind === 'missing') return new Response(media.message, { status: 404 });
    if (media.kind === 'bytes') {
      return new Response(Buffer.from(media.bytes), {
        headers: { 'Content-Type': media.contentType, 'Cache-Control': 'no-store' },
      });
    }
    const body = Readable.toWeb(createReadStream(media.file)) as ReadableStream<Uint8Array>;
    return new Response(body, {
      headers: {
        'Content-Type': media.contentType,
        'Content-Disposition': `attachment; filename="${media.downloadName}"`,
      },
    });
  });
}
