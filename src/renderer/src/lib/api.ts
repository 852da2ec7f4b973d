/**
 * The one way the renderer reaches its host. Under Electron the preload bridge is `window.api`;
 * in a browser we talk WebSocket to the server that served this page, offering its start token.
 */
import type { Api } from '../../../shared/contract';
import { ALWAYS_OPEN, type ConnectionSource } from './connection';
import { takeHostToken } from './host-token';
import { createWsApi } from './ws-api';

interface Host {
  api: Api;
  connection: ConnectionSource;
}

let host: Host | null = null;

function resolveHost(): Host {
  if (host) return host;
  if (window.api) {
    host = { api: window.api, connection: ALWAYS_OPEN };
  } else {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = createWsApi(`${scheme}://${location.host}/ws`, takeHostToken());
    host = { api: ws, connection: ws.connection };
  }
  return host;
}

export function getApi(): Api {
  return resolveHost().api;
}

export function getConnection(): ConnectionSource {
  return resolveHost().connection;
}
