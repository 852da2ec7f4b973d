/** `--run RUN`, the option of every command that reads a trained run. */
import type { OptionSpec } from './args';

export const RUN_OPTION: Record<string, OptionSpec> = { run: { type: 'string' } };

export const RUN_HELP = `  --run RUN            a run folder written by train (or the app), or the id of a run in
                       the runs folder (as latent-studio runs lists them)`;
