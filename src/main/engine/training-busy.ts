/**
 * The one BUSY guard for "a run is training". Main refuses before asking the engine (it knows the
 * running job from the engine's events); the engine refuses again, for a request that raced a run
 * starting. Both sides share this, so the user reads the same words whichever refused.
 */
import { fail, type Result } from '../../shared/result';

export const TRAINING_BUSY = {
  /** Starting or continuing a run: one trains at a time. */
  train: 'A training run is already in progress; cancel it first.',
  /** A speed estimate would slow the run and be slowed by it. */
  speed: 'A training run is in progress; its progress shows its speed.',
} as const;

/** A BUSY refusal while a run trains, else null (go ahead). */
export function refuseWhileTraining(
  training: boolean,
  what: keyof typeof TRAINING_BUSY,
): Result<never> | null {
  return training ? fail('BUSY', TRAINING_BUSY[what]) : null;
}
