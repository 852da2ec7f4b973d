/** Which URLs are the app's own pages: the built renderer folder, or the dev server in development. */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

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
