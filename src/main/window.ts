import { BrowserWindow } from 'electron';
import path from 'node:path';
import { hardenWebContents } from './security';

export function rendererUrl(): string {
  const devServer = process.env['ELECTRON_RENDERER_URL'];
  return devServer ?? `file://${path.join(__dirname, '../renderer/index.html')}`;
}

export function isAppUrl(url: string): boolean {
  const devServer = process.env['ELECTRON_RENDERER_URL'];
  if (devServer) return url.startsWith(devServer);
  return url.startsWith(`file://${path.join(__dirname, '../renderer/')}`);
}

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
    },
  });
  hardenWebContents(window.webContents, isAppUrl);
  window.once('ready-to-show', () => window.show());
  const devServer = process.env['ELECTRON_RENDERER_URL'];
  if (devServer) void window.loadURL(devServer);
  else void window.loadFile(path.join(__dirname, '../renderer/index.html'));
  return window;
}
