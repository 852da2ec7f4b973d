import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { appUrlChecker } from '../../src/main/app-url';
import { isAllowedExternalUrl } from '../../src/main/external-urls';
import { guardRequest, type SenderFrame } from '../../src/main/ipc-guard';
import { ok } from '../../src/shared/result';

const RENDERER = path.resolve('/opt/Latent Studio/resources/app.asar/out/renderer');
const isAppUrl = appUrlChecker(RENDERER);
const APP_PAGE = pathToFileURL(path.join(RENDERER, 'index.html')).href;

function frame(url: string, parent: unknown = null): SenderFrame {
  return { url, parent };
}

describe('IPC sender check', () => {
  const foreign: [string, SenderFrame | null][] = [
    ['a web page', frame('https://evil.example/')],
    ['another local file', frame(pathToFileURL('/tmp/evil.html').href)],
    ['a sibling folder named like the renderer', frame(pathToFileURL(`${RENDERER}-evil/index.html`).href)],
    ['a path that climbs out of the renderer', frame(`${pathToFileURL(RENDERER).href}/../../evil.html`)],
    ['an iframe inside the app page', frame(APP_PAGE, { url: APP_PAGE })],
    ['a frame already gone', null],
    ['a data URL', frame('data:text/html,<script>1</script>')],
  ];

  it.each(foreign)('refuses a request from %s before its handler runs', async (_name, sender) => {
    const dispatch = vi.fn(async () => ok('handled'));
    const handle = guardRequest('app:ping', dispatch, isAppUrl);
    const result = await handle({ senderFrame: sender }, {});
    expect(result).toMatchObject({ ok: false, code: 'FORBIDDEN_SENDER' });
    expect(dispatch).not.toHaveBeenCalled();
  });

  it("passes the app's own top frame through to the router, payload untouched", async () => {
    const dispatch = vi.fn(async () => ok('handled'));
    const handle = guardRequest('runs:open', dispatch, isAppUrl);
    const args = { runId: '20260101-000000-abcd' };
    expect(await handle({ senderFrame: frame(APP_PAGE) }, args)).toEqual(ok('handled'));
    expect(dispatch).toHaveBeenCalledWith('runs:open', args);
  });

  it('in development trusts only the dev server origin', () => {
    const dev = appUrlChecker(RENDERER, 'http://localhost:5173/');
    expect(dev('http://localhost:5173/index.html')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(dev('http://localhost:5173.evil.example/')).toBe(false);
    expect(dev('not a url')).toBe(false);
  });
});

describe('external links', () => {
  it.each([
    ['https://github.com/latent-studio/latent-studio', true],
    ['https://github.com/latent-studio/latent-studio/issues/new', true],
    ['https://github.com/latent-studio/latent-studio#readme', true],
    ['http://github.com/latent-studio/latent-studio', false],
    ['https://github.com@evil.example/latent-studio/latent-studio', false],
    ['https://github.com/latent-studio/latent-studio-evil', false],
    ['https://github.com/someone-else/latent-studio', false],
    ['https://github.com:8443/latent-studio/latent-studio', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('%s → %s', (url, allowed) => {
    expect(isAllowedExternalUrl(url)).toBe(allowed);
  });
});
