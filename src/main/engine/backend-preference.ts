/** The backend preference as an environment variable; no tfjs import, so main can use it cheaply. */
import { BACKEND_NAMES, type BackendName, type BackendPreference } from '../../shared/types';

export const BACKEND_ENV = 'LATENT_STUDIO_BACKEND';

export function parseBackendPreference(value: string | undefined): BackendPreference {
  if (value && (BACKEND_NAMES as readonly string[]).includes(value)) return value as BackendName;
  return 'auto';
}
