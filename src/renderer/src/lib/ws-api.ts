/**
 * The `Api` over a WebSocket, for the browser host. Frames are binary (`wire-codec.ts`) so latent
 * codes arrive as typed arrays. The socket reconnects by itself; callers never see it, except when
 * the host answers that this page's token is from an earlier start: then it stops for good.
 */
import type {
  Api,
  EventName,
  EventPayload,
  RequestName,
  RequestArgs,
  RequestValue,
} from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import { isEventName } from '../../../shared/event-names';
import { decodeFrame, encodeFrame } from '../../../shared/wire-codec';
import {
  HOST_PROTOCOL,
  MEDIA_KEY_PARAM,
  STALE_TOKEN_CLOSE_CODE,
  TOKEN_FRAGMENT_PARAM,
  TOKEN_PROTOCOL_PREFIX,
} from '../../../shared/host-protocol';
import type { ConnectionSource, ConnectionStatus } from './connection';

export const LOST_CONNECTION: Result<never> = {
  ok: false,
  code: 'ENGINE_UNAVAILABLE',
  message: 'Lost connection to the Latent Studio host.',
};

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10_000;

type Listener = (payload: never) => void;
type Settle = (result: Result<unknown>) => void;

export interface WsApi extends Api {
  readonly connection: ConnectionSource;
}

export function createWsApi(url: string, token: string | null): WsApi {
  let socket: WebSocket | null = null;
  let status: ConnectionStatus = 'connecting';
  let nextId = 1;
  let retries = 0;
  // Media addresses carry the key the host sends first on every socket (the same key each time).
  let mediaKey = '';
  let newAddress: string | null = null;
  const protocols = token ? [HOST_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${token}`] : [HOST_PROTOCOL];
  const pending = new Map<number, Settle>();
  // Requests made while the socket is still opening go out as soon as it opens.
  let outbox: Uint8Array[] = [];
  const listeners = new Map<EventName, Set<Listener>>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();

  function setStatus(next: ConnectionStatus): void {
    if (next === status) return;
    status = next;
    for (const listener of statusListeners) listener(next);
  }

  function connect(): void {
    setStatus('connecting');
    const ws = new WebSocket(url, protocols);
    ws.binaryType = 'arraybuffer';
    socket = ws;
    ws.addEventListener('message', (event: MessageEvent) => {
      if (event.data instanceof ArrayBuffer) receive(ws, new Uint8Array(event.data));
    });
    ws.addEventListener('close', (event: CloseEvent) => {
      if (socket !== ws) return;
      socket = null;
      failAll();
      if (event.code === STALE_TOKEN_CLOSE_CODE) {
        newAddress = ownAddress(event.reason);
        setStatus('stale');
        return;
      }
      setStatus('closed');
      const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** retries) * (0.75 + Math.random() * 0.5);
      retries += 1;
      setTimeout(connect, delay);
    });
  }

  function failAll(): void {
    outbox = [];
    const settles = [...pending.values()];
    pending.clear();
    for (const settle of settles) settle(LOST_CONNECTION);
  }

  /**
   * The link counts as open at the host's hello, not at the socket's: a page whose token is from an
   * earlier start gets a socket that opens and closes at once, and must not look connected meanwhile.
   */
  function greeted(ws: WebSocket): void {
    retries = 0;
    for (const frame of outbox) ws.send(frame);
    outbox = [];
    setStatus('open');
  }

  function receive(ws: WebSocket, bytes: Uint8Array): void {
    let message: unknown;
    try {
      message = decodeFrame(bytes);
    } catch (error) {
      console.warn('Latent Studio: dropped a malformed frame', error);
      return;
    }
    if (message === null || typeof message !== 'object') return;
    const record = message as Record<string, unknown>;
    if (record['t'] === 'hello' && typeof record['mediaKey'] === 'string') {
      mediaKey = record['mediaKey'];
      greeted(ws);
    } else if (record['t'] === 'res' && typeof record['id'] === 'number') {
      const settle = pending.get(record['id']);
      if (!settle) return;
      pending.delete(record['id']);
      settle(isResult(record['result']) ? record['result'] : malformedResult());
    } else if (record['t'] === 'evt' && isEventName(record['name'])) {
      emit(record['name'], record['payload']);
    }
  }

  function emit(name: EventName, payload: unknown): void {
    for (const listener of listeners.get(name) ?? []) {
      // One faulty subscriber must not starve the others.
      try {
        listener(payload as never);
      } catch (error) {
        console.error(`Latent Studio: listener for ${name} failed`, error);
      }
    }
  }

  function invoke<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<Result<RequestValue<K>>> {
    if (status === 'closed' || status === 'stale') return Promise.resolve(LOST_CONNECTION);
    const id = nextId++;
    const frame = encodeFrame({ t: 'req', id, name, args });
    return new Promise((resolve) => {
      pending.set(id, resolve as Settle);
      if (socket && status === 'open' && socket.readyState === WebSocket.OPEN) socket.send(frame);
      else outbox.push(frame);
    });
  }

  function on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = listeners.get(name);
    if (!set) listeners.set(name, (set = new Set()));
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  }

  connect();

  return {
    invoke,
    on,
    // The browser host serves media beside the page (src/server/media-route.ts).
    mediaUrl: (path) => `/media/${path}?${MEDIA_KEY_PARAM}=${encodeURIComponent(mediaKey)}`,
    connection: {
      get status() {
        return status;
      },
      missingToken: token === null,
      get newAddress() {
        return newAddress;
      },
      subscribe(listener) {
        statusListeners.add(listener);
        return () => statusListeners.delete(listener);
      },
    },
  };
}

/** The address the host handed over, if it is this page's own origin with a token; else null. */
function ownAddress(reason: string): string | null {
  if (!URL.canParse(reason)) return null;
  const address = new URL(reason);
  const token = new URLSearchParams(address.hash.slice(1)).get(TOKEN_FRAGMENT_PARAM);
  return address.origin === location.origin && token ? address.href : null;
}

function isResult(value: unknown): value is Result<never> {
  if (value === null || typeof value !== 'object') return false;
  const ok = (value as Record<string, unknown>)['ok'];
  return ok === true || (ok === false && typeof (value as Record<string, unknown>)['message'] === 'string');
}

function malformedResult(): Result<never> {
  return { ok: false, code: 'INTERNAL', message: 'The host sent a reply Latent Studio could not read.' };
}
