import { nodeRequire } from '../node-require';

/**
 * The app's version for export manifests. The engine has no Electron `app` to ask, so it reads the
 * package.json beside the code: two levels up from the bundle (out/main/), three from the sources.
 */
export function appVersion(): string {
  for (const candidate of ['../../package.json', '../../../package.json']) {
    try {
      const { name, version } = nodeRequire(candidate) as { name?: unknown; version?: unknown };
      if (name === 'latent-studio' && typeof version === 'string') return version;
    } catch {
      // not at this level: try the next
    }
  }
  return 'unknown';
}
