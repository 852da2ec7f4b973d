/** Starts the engine with child_process.fork: the browser host, the CLI and the tests use this. */
import { fork } from 'node:child_process';
import type { FromEngine } from '../engine/protocol';
import type { EngineLauncher } from './engine-child';

export interface ForkLauncherOptions {
  /** The engine entry script (out/main/engine.js, or the TypeScript source with tsx). */
  entry: string;
  /** Extra Node flags, e.g. ['--import', 'tsx'] to run the sources directly. */
  execArgv?: string[];
}

export function forkLauncher({ entry, execArgv = [] }: ForkLauncherOptions): EngineLauncher {
  return (env) => {
    const child = fork(entry, [], {
      // Structured clone, so typed arrays cross as typed arrays.
      serialization: 'advanced',
      env: { ...process.env, ...env },
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return {
      pid: child.pid,
      send: (message) => {
        if (child.connected) child.send(message);
      },
      onMessage: (listener) => child.on('message', (message) => listener(message as FromEngine)),
      onExit: (listener) => child.on('exit', (code, signal) => listener({ code, signal })),
      kill: () => child.kill('SIGKILL'),
    };
  };
}
