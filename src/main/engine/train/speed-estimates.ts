/**
 * Training speed for a model before it trains. Never while a run trains: the estimate would
 * slow the run and be slowed by it, and the run's progress already shows its speed. A run that
 * starts meanwhile (or the app quitting) stops the estimate at the next step.
 */
import { fail, ok } from '../../../shared/result';
import type { BackendName } from '../../../shared/backend-types';
import type { EngineArgs } from '../protocol';
import { refuseWhileTraining, TRAINING_BUSY } from '../training-busy';
import { measureSpeed } from './speed-probe';

export interface SpeedEstimatesDeps {
  /** The backend `start` made current, which estimates are measured on; null before that. */
  backend: () => BackendName | null;
  isTraining: () => boolean;
  quitting: () => boolean;
}

export class SpeedEstimates {
  /** An estimate is being measured (one at a time: two would slow each other down). */
  private measuring = false;

  constructor(private readonly deps: SpeedEstimatesDeps) {}

  async estimate(probe: EngineArgs<'train:estimate-speed'>) {
    const busy = refuseWhileTraining(this.deps.isTraining(), 'speed');
    if (busy) return busy;
    if (this.measuring) return fail('BUSY', 'Another speed estimate is being measured.');
    const backend = this.deps.backend();
    if (backend === null) return fail('ENGINE_UNAVAILABLE', 'The engine has no backend yet.');
    this.measuring = true;
    try {
      const imagesPerSecond = await measureSpeed(probe, {
        shouldStop: () => this.deps.isTraining() || this.deps.quitting(),
      });
      // Null: stopped part-way, by a run that started or the app quitting.
      if (imagesPerSecond === null || !Number.isFinite(imagesPerSecond))
        return fail('BUSY', TRAINING_BUSY.speed);
      return ok({ backend, imagesPerSecond });
    } finally {
      this.measuring = false;
    }
  }
}
