/** Which URLs are the app's own pages: the built renderer folder, or the dev server in development. */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The dev server's address (electron-vite sets ELECTRON_RENDERER_URL in `npm run dev`), honoured
 * only in an unpackaged app and only on this machine: in a packaged app the variable is anyone's to
 * set, and it would make a remote page "the app" with the whole bridge.
 */
export function devServerUrl(
  env: Record<string, string | undefined>,
  isPackaged: boolean,
): string | undefined {
  const value = env['ELECTRON_RENDERER_URL'];
  if (isPackaged || !value) return undefined;
  try {
    const url = new URL(value);
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    return local && (url.protocol === 'http:' || url.protocol === 'https:') ? url.href : undefined;
  } catch {
    return undefined;
  }
}

export function appUrlChecker(rendererDirectory: string, devServer?: string): (url: string) => boolean {
  if (devServer) {
    const origin = new URL(devServer).origin;
    return (url) => {
      try {
        return new URL(url).origin === origin;
      } catch {
        return false;
      }
    };
  }
  // A trailing separator, so a sibling such as ".../renderer-evil/" does not match.
  const prefix = pathToFileURL(rendererDirectory + path.sep).href;
  return (url) => {
    try {
      const parsed = new URL(url);
      // Normalised by the parser: "/../" segments cannot climb out of the folder unnoticed.
      return parsed.protocol === 'file:' && parsed.href.startsWith(prefix);
    } catch {
      return false;
    }
  };
}
