/** Electron main: owns the window, the engine process and the IPC binding. */
import { app, BrowserWindow, dialog, shell } from 'electron';
import packageJson from '../../package.json';
import { createAppCore, type AppCore } from './core/app-core';
import { bindIpc, forwardEvents } from './ipc';
import { handleMediaProtocol, registerMediaScheme } from './media-protocol';
import { hardenSessions } from './security';
import { confirmCloseWhileTraining, stopEngineBeforeQuit } from './quit-guard';
import { claimSingleInstance } from './single-instance';
import { utilityLauncher } from './utility-launcher';
import { createMainWindow, isAppUrl } from './window';

let core: AppCore | null = null;

function openWindow(appCore: AppCore): void {
  const window = createMainWindow();
  confirmCloseWhileTraining(window, appCore);
  const stopForwarding = forwardEvents(appCore, window.webContents);
  window.on('closed', stopForwarding);
}

async function start(): Promise<void> {
  registerMediaScheme();
  await app.whenReady();
  hardenSessions();
  const dataDirectory = app.getPath('userData');
  core = await createAppCore({
    launcher: utilityLauncher(),
    dataDirectory,
    info: {
      name: 'Latent Studio',
      version: packageJson.version,
      host: 'desktop',
      platform: process.platform,
    },
    backendOverride: process.env['LATENT_STUDIO_BACKEND'],
    chooseFolder: async () => {
      const parent = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
      const options = { title: 'Open an image folder', properties: ['openDirectory' as const] };
      const result = parent
        ? await dialog.showOpenDialog(parent, options)
        : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    trashItem: (folder) => shell.trashItem(folder),
  });
  bindIpc(core, isAppUrl);
  handleMediaProtocol(core);
  openWindow(core);
  app.on('activate', () => {
    if (core && BrowserWindow.getAllWindows().length === 0) openWindow(core);
  });
}

/** A second copy was started: it quits, and this one comes to the front. */
function showExistingWindow(): void {
  const window = BrowserWindow.getAllWindows()[0];
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.focus();
}

if (claimSingleInstance(app, process.env['LATENT_STUDIO_DATA_DIR'], showExistingWindow)) {
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  stopEngineBeforeQuit(() => core);
  app.on('will-quit', () => core?.dispose());

  start().catch((error: unknown) => {
    console.error('Latent Studio failed to start:', error);
    app.exit(1);
  });
}
