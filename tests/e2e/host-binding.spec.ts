/**
 * Where the browser host listens: loopback unless told otherwise, and a plain warning when told to
 * listen on every interface, where the start token is all that stands between the network and the
 * user's data.
 */
import { openHostSocket } from '../support/host-socket';
import { expect, launchBrowserHost, test } from './fixtures/browser-host';

test('browser host: binds loopback by default; --host 0.0.0.0 warns and still wants the token', async () => {
  const loopback = await launchBrowserHost();
  try {
    expect(new URL(loopback.host.url).hostname).toBe('127.0.0.1');
    expect(loopback.host.output()).not.toMatch(/WARNING/);
  } finally {
    loopback.child.kill('SIGTERM');
  }

  const open = await launchBrowserHost(['--host', '0.0.0.0']);
  try {
    expect(open.host.output()).toMatch(
      /WARNING: binding 0\.0\.0\.0 makes Latent Studio reachable from other machines/,
    );
    const origin = `http://127.0.0.1:${new URL(open.host.url).port}`;
    await expect(openHostSocket(origin, null)).rejects.toThrow(/401/);
    expect((await fetch(`${origin}/media/image/20261121-043000-ab12/0.png`)).status).toBe(401);
    const withToken = await openHostSocket(origin, open.host.token);
    withToken.close();
  } finally {
    open.child.kill('SIGTERM');
  }
});
