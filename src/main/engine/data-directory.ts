/**
 * Where Latent Studio keeps settings, caches (`cache/`) and runs (`runs/`) when no window tells it:
 * the one rule the browser host and the command line share, so a run trained from the command line
 * shows in the browser host's Runs tab. (The desktop app keeps Electron's per-user folder, named in
 * the README.)
 */
import os from 'node:os';
import path from 'node:path';

export const DATA_DIR_ENV = 'LATENT_STUDIO_DATA_DIR';

/** LATENT_STUDIO_DATA_DIR when set (and not blank), else ~/.latent-studio; always absolute. */
export function defaultDataDirectory(
  env: Record<string, string | undefined> = process.env,
  home: string = os.homedir(),
): string {
  const chosen = env[DATA_DIR_ENV]?.trim();
  return path.resolve(chosen ? chosen : path.join(home, '.latent-studio'));
}

/** The runs folder inside a data directory. */
export function runsDirectoryOf(dataDirectory: string): string {
  return path.join(dataDirectory, 'runs');
}

/** The dataset cache inside a data directory. */
export function cacheDirectoryOf(dataDirectory: string): string {
  return path.join(dataDirectory, 'cache');
}
