import type { ExitCode } from './exit-codes';

/** One subcommand: its help text, and its work (given the arguments after its name). */
export interface Command {
  name: string;
  /** One line for the tool's own help. */
  summary: string;
  /** The full `--help` text. */
  help: string;
  run(argv: string[]): Promise<ExitCode>;
}
