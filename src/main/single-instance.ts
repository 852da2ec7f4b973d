/**
 * One copy of the app per data directory: two would train into, rename and delete the same runs/
 * folder. Electron keys its lock on the userData folder, so a data directory set by
 * LATENT_STUDIO_DATA_DIR becomes userData first (two copies on different data directories, as the
 * UI tests run them, may still run side by side).
 */
import type { App } from 'electron';

/** True when this copy holds the lock; otherwise it has asked the first copy to show itself and quits. */
export function claimSingleInstance(
  app: Pick<App, 'setPath' | 'requestSingleInstanceLock' | 'quit' | 'on'>,
  dataDirectory: string | undefined,
  showFirstCopy: () => void,
): boolean {
  if (dataDirectory) app.setPath('userData', dataDirectory);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', showFirstCopy);
  return true;
}
