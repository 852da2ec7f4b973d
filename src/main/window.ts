import { app, BrowserWindow } from 'electron';
import path from 'node:path';
import { appUrlChecker, devServerUrl } from './app-url';
import { hardenWebContents } from './security';

const devServer = devServerUrl(process.env, app.isPackaged);

export function rendererUrl(): string {
  return devServer ?? `file://${path.join(__dirname, '../renderer/index.html')}`;
}

export const isAppUrl = appUrlChecker(path.join(__dirname, '../renderer'), devServer);

export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'Latent Studio',
    backgroundColor: '#0f1115',
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.js'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // Middle-click on a link asks for a new window: setWindowOpenHandler denies it anyway, and
      // the app has no use for it, so the feature is off (Electronegativity's AUXCLICK check).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  hardenWebContents(window.webContents, isAppUrl);
  window.once('ready-to-show', () => window.show());
  if (devServer) void window.loadURL(devServer);
  else void window.loadFile(path.join(__dirname, '../renderer/index.html'));
  return window;
}
