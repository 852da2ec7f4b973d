/**
 * Quitting while a run trains: the window asks first; once the user agrees (or the app quits by
 * other means), the run stops within one batch, left "interrupted" so the next launch offers to
 * continue it, and only then does the app exit.
 */
import { app, dialog, type BrowserWindow } from 'electron';
import type { AppCore } from './core/app-core';

/** Asks before a window closes on a training run. */
export function confirmCloseWhileTraining(window: BrowserWindow, core: AppCore): void {
  let confirmed = false;
  window.on('close', (event) => {
    if (confirmed || core.engine.runningJob === null) return;
    event.preventDefault();
    void dialog
      .showMessageBox(window, {
        type: 'question',
        buttons: ['Stop training and quit', 'Keep training'],
        defaultId: 1,
        cancelId: 1,
        title: 'A run is training',
        message: 'Stop training and quit?',
        detail:
          'The run stops after the current batch and keeps its newest checkpoint (the end of its last ' +
          'finished epoch). Latent Studio offers to continue it the next time it starts.',
      })
      .then(({ response }) => {
        if (response !== 0 || window.isDestroyed()) return;
        confirmed = true;
        window.close();
      });
  });
}

/** Holds the quit until the engine has stopped the run cleanly and ended. */
export function stopEngineBeforeQuit(core: () => AppCore | null): void {
  let stage: 'running' | 'stopping' | 'stopped' = 'running';
  app.on('before-quit', (event) => {
    const current = core();
    if (!current || stage === 'stopped') return;
    event.preventDefault();
    if (stage === 'stopping') return;
    stage = 'stopping';
    void current.shutdown().finally(() => {
      stage = 'stopped';
      app.quit();
    });
  });
}
