import type { FromEngine, ToEngine } from '../engine/protocol';

/** A running engine process, whichever way it was started. */
export interface EngineChild {
  readonly pid: number | undefined;
  send(message: ToEngine): void;
  onMessage(listener: (message: FromEngine) => void): void;
  onExit(listener: (exit: { code: number | null; signal: string | null }) => void): void;
  kill(): void;
}

/** Starts an engine process with extra environment variables. */
export type EngineLauncher = (env: Record<string, string>) => EngineChild;
