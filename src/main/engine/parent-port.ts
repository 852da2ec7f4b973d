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
  return {
    send: (message) => process.send?.(message),
    onMessage: (listener) => process.on('message', (message) => listener(message as ToEngine)),
  };
}
