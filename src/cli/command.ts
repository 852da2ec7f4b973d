import { parseOptions, type OptionSpec, type OptionValues } from './args';
import { EXIT, type ExitCode } from './exit-codes';
import { log } from './log';

/** One subcommand: its help text, and its work (given the arguments after its name). */
export interface Command {
  name: string;
  /** One line for the tool's own help. */
  summary: string;
  /** The full `--help` text. */
  help: string;
  run(argv: string[]): Promise<ExitCode>;
}

/**
 * A command whose options are parsed strictly (`--help` added) and whose `--help` prints `help`;
 * `run` gets the parsed options and never sees `--help`.
 */
export function defineCommand(
  name: string,
  summary: string,
  help: string,
  options: Record<string, OptionSpec>,
  run: (values: OptionValues) => Promise<ExitCode>,
): Command {
  return {
    name,
    summary,
    help,
    async run(argv) {
      const values = parseOptions(argv, options);
      if (values.help) {
        log(help);
        return EXIT.ok;
      }
      return run(values);
    },
  };
}
