/** `--backend`: which TensorFlow.js backend to run on, chosen and reported like the app does. */
import { selectBackend } from '../main/engine/backend';
import { BACKEND_ENV, parseBackendPreference } from '../main/engine/backend-preference';
import { BACKEND_NAMES, type BackendPreference } from '../shared/backend-types';
import { choiceOption, type OptionSpec, type OptionValues } from './args';
import { log } from './log';
import { adapterLimits } from '../shared/gpu-adapter';

export const BACKEND_OPTION: Record<string, OptionSpec> = { backend: { type: 'string' } };

export const BACKEND_HELP = `  --backend NAME       auto (default), ${BACKEND_NAMES.join(', ')}; or set ${BACKEND_ENV}`;

/** Loads the backend and says on stderr which one runs, and why better ones were skipped. */
export async function startBackend(values: OptionValues): Promise<void> {
  const fallback = parseBackendPreference(process.env[BACKEND_ENV]);
  const preference = choiceOption<BackendPreference>(values, 'backend', ['auto', ...BACKEND_NAMES], fallback);
  const report = await selectBackend(preference);
  log(`backend: ${report.label}${report.forced ? ' (forced)' : ''}`);
  if (report.adapter) log(`  ${adapterLimits(report.adapter)}`);
  for (const { name, reason } of report.skipped) {
    if (!reason.startsWith('not tried')) log(`  skipped ${name}: ${reason}`);
  }
}
