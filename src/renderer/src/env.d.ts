/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { Api } from '../../shared/contract';

declare global {
  interface Window {
    /** Present under Electron: the preload bridge. Absent in a plain browser, which uses WebSocket. */
    api?: Api;
  }
}
