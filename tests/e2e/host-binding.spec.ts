/**
 * Where the browser host listens: loopback unless told otherwise, and a plain warning when told to
 * listen on every interface, where the start token is all that stands between the network and the
 * user's data.
 */
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
    const port = new URL(open.host.url).port;
    const withoutToken = await fetch(`http://127.0.0.1:${port}/`);
    expect(withoutToken.status).toBe(401);
    const withToken = await fetch(`http://127.0.0.1:${port}/?token=${open.host.token}`, {
      redirect: 'manual',
    });
    expect(withToken.status).toBeLessThan(400);
  } finally {
    open.child.kill('SIGTERM');
  }
});
