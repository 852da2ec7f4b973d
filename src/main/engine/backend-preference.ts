/** The engine's settings passed as environment variables; no tfjs import, so main can use them cheaply. */
import { BACKEND_NAMES, type BackendName, type BackendPreference } from '../../shared/backend-types';

export const BACKEND_ENV = 'LATENT_STUDIO_BACKEND';
/** Where the engine keeps dataset caches; set by main from the app's data directory. */
export const CACHE_DIR_ENV = 'LATENT_STUDIO_CACHE_DIR';
/** Where the engine keeps training runs (config, metrics, checkpoints). */
export const RUNS_DIR_ENV = 'LATENT_STUDIO_RUNS_DIR';

export function parseBackendPreference(value: string | undefined): BackendPreference {
  if (value && (BACKEND_NAMES as readonly string[]).includes(value)) return value as BackendName;
  return 'auto';
}
