/** Starts the engine as an Electron utilityProcess (a Node process Electron manages). */
import { utilityProcess } from 'electron';
import path from 'node:path';
import type { EngineLauncher } from './core/engine-child';
import type { FromEngine } from './engine/protocol';

export function utilityLauncher(): EngineLauncher {
  return (env) => {
    const child = utilityProcess.fork(path.join(__dirname, 'engine.js'), [], {
      env: { ...process.env, ...env },
      serviceName: 'Latent Studio engine',
      stdio: 'inherit',
    });
    return {
      get pid() {
        return child.pid;
      },
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', (message: unknown) => listener(message as FromEngine)),
      onExit: (listener) => child.on('exit', (code) => listener({ code, signal: null })),
      kill: () => void child.kill(),
    };
  };
}
