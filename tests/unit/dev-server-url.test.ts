import { describe, expect, it } from 'vitest';
import { appUrlChecker, devServerUrl } from '../../src/main/app-url';

describe('the dev server address (ELECTRON_RENDERER_URL)', () => {
  const env = (value: string) => ({ ELECTRON_RENDERER_URL: value });

  it('is honoured in an unpackaged app, on this machine', () => {
    expect(devServerUrl(env('http://localhost:5173'), false)).toBe('http://localhost:5173/');
    expect(devServerUrl(env('http://127.0.0.1:5173/'), false)).toBe('http://127.0.0.1:5173/');
  });

  it('is ignored in a packaged app, where anyone could set it', () => {
    expect(devServerUrl(env('http://localhost:5173'), true)).toBeUndefined();
    // So a packaged app's pages are its files, never a page the variable names.
    const isAppUrl = appUrlChecker(
      '/opt/latent-studio/renderer',
      devServerUrl(env('https://evil.example'), true),
    );
    expect(isAppUrl('https://evil.example/')).toBe(false);
  });

  it('is ignored when it names another machine or scheme, or is not a URL', () => {
    for (const value of [
      'https://evil.example',
      'file:///tmp/page.html',
      'javascript:alert(1)',
      'not a url',
      '',
    ]) {
      expect(devServerUrl(env(value), false), value).toBeUndefined();
    }
    expect(devServerUrl({}, false)).toBeUndefined();
  });
});
