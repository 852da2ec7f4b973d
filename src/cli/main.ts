/**
 * The `latent-studio` command line: the app's engine (datasets, training, checkpoints) with no
 * window, for scripts and remote GPU boxes. Plain Node; it never imports electron.
 */
import { CheckpointCorruptError } from '../main/engine/train/checkpoint';
import type { Command } from './command';
import { encodeCommand } from './encode-command';
import { evaluateCommand } from './evaluate-command';
import { CliError, EXIT, type ExitCode } from './exit-codes';
import { exportCommand } from './export-command';
import { log } from './log';
import { reconstructCommand } from './reconstruct-command';
import { runsCommand } from './runs-command';
import { sampleCommand } from './sample-command';
import { trainCommand } from './train-command';

const COMMANDS: Command[] = [
  trainCommand,
  runsCommand,
  evaluateCommand,
  reconstructCommand,
  encodeCommand,
  sampleCommand,
  exportCommand,
];

const HELP = `Usage: latent-studio <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(11)} ${c.summary}`).join('\n')}

Run latent-studio <command> --help for a command's options.

Exit codes: 0 done, 1 failed at run time, 2 bad command line, 3 run, folder or file not found,
4 damaged checkpoint, 130 stopped with Ctrl-C.`;

async function main(argv: string[]): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    log(HELP);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    log(name === undefined ? HELP : `latent-studio: unknown command "${name}"\n\n${HELP}`);
    return EXIT.usage;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof CliError) {
      log(`latent-studio ${command.name}: ${error.message}`);
      if (error.exitCode === EXIT.usage) log(`Run latent-studio ${command.name} --help for its options.`);
      return error.exitCode;
    }
    if (error instanceof CheckpointCorruptError) {
      log(`latent-studio ${command.name}: damaged checkpoint: ${error.message}`);
      return EXIT.corrupt;
    }
    log(`latent-studio ${command.name}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failure;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // tfjs or a worker may keep the event loop alive; stdout and stderr get a moment to drain first.
  setTimeout(() => process.exit(code), 1000).unref();
});
