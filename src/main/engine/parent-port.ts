/**
 * The engine's link to main: Electron's utilityProcess gives `process.parentPort`; under plain
 * Node (child_process.fork with advanced serialization) it is `process.send`. Neither needs an
 * `electron` import, so the engine stays runnable from Node.
 */
import type { FromEngine, ToEngine } from './protocol';

interface ElectronParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

export interface ParentLink {
  send(message: FromEngine): void;
  onMessage(listener: (message: ToEngine) => void): void;
}

export function connectToParent(): ParentLink {
  const parentPort = (process as { parentPort?: ElectronParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data as ToEngine)),
    };
  }
  if (!process.send) throw new Error('the engine must be started by Latent Studio (no parent channel)');
  // Main went away: nothing is left to report to, so stop instead of training for nobody.
  process.on('disconnect', () => process.exit(0));
  // Ctrl-C in the terminal that runs `npm run serve` reaches the whole process group. Dying of it
  // here would race the host's own orderly stop (which leaves a run "interrupted" with its
  // checkpoint) and read as a crash that "stopped a run". The host decides when this process ends.
  process.on('SIGINT', () => {});
  return {
    send: (message) => process.send?.(message),
    onMessage: (listener) => process.on('message', (message) => listener(message as ToEngine)),
  };
}
