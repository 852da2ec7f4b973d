import { EXIT } from './exit-codes';
import { log } from './log';

/**
 * Runs `work` with Ctrl-C wired to a graceful stop: the first press logs `message` and calls
 * `stop`, a second quits at once with exit code 130.
 */
export async function untilInterrupted<T>(
  message: string,
  stop: () => void,
  work: () => Promise<T>,
): Promise<T> {
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT.interrupted);
    log(`${message} (Ctrl-C again to quit at once)`);
    stop();
  };
  process.on('SIGINT', onInterrupt);
  try {
    return await work();
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
