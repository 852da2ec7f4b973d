/**
 * Exit codes, distinct per kind of failure so a script can tell "fix your command" from "the run
 * is damaged" without reading the message.
 */
export const EXIT = {
  ok: 0,
  /** Training, encoding or writing failed at run time (also a diverged run). */
  failure: 1,
  /** The command line itself is wrong: unknown option, bad value, missing required option. */
  usage: 2,
  /** A run, dataset folder or file that was named does not exist. */
  notFound: 3,
  /** A checkpoint failed its size, checksum or shape checks. */
  corrupt: 4,
  /** Stopped with Ctrl-C (128 + SIGINT, the shell's convention). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure with the exit code it should end the process with; the message is shown as it is. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError(message, EXIT.usage);
export const notFoundError = (message: string) => new CliError(message, EXIT.notFound);
