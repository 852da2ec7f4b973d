/**
 * A WebSocket client that writes raw bytes, for what a browser never sends: malformed frames,
 * connections reset mid-upgrade, a client that stops reading.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { hostProtocols } from './host-socket';

export interface UpgradeOptions {
  port: number;
  token: string | null;
  /** Defaults to the host's own origin. */
  origin?: string;
}

export function upgradeRequest({ port, token, origin }: UpgradeOptions): string {
  return (
    'GET /ws HTTP/1.1\r\n' +
    `Host: 127.0.0.1:${port}\r\n` +
    `Origin: ${origin ?? `http://127.0.0.1:${port}`}\r\n` +
    'Upgrade: websocket\r\nConnection: Upgrade\r\n' +
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n` +
    'Sec-WebSocket-Version: 13\r\n' +
    `Sec-WebSocket-Protocol: ${hostProtocols(token).join(', ')}\r\n\r\n`
  );
}

/** Opens a socket through the upgrade; resolves once the host answered 101. */
export function rawUpgrade(options: UpgradeOptions): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(options.port, '127.0.0.1');
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      if (!head.startsWith('HTTP/1.1 101')) {
        socket.destroy();
        reject(new Error(head.split('\r\n')[0]));
        return;
      }
      // Anything after the head (the hello frame) is left for the caller to ignore.
      resolve(socket);
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(upgradeRequest(options));
  });
}

/** One frame: FIN set, the given opcode and RSV bits, masked unless told otherwise. */
export function frame(
  opcode: number,
  payload: Uint8Array,
  {
    masked = true,
    rsv = 0,
    declaredLength,
  }: { masked?: boolean; rsv?: number; declaredLength?: number } = {},
): Buffer {
  const length = declaredLength ?? payload.length;
  const header: number[] = [0x80 | (rsv << 4) | opcode];
  const maskBit = masked ? 0x80 : 0;
  if (length < 126) header.push(maskBit | length);
  else if (length < 65_536) header.push(maskBit | 126, length >> 8, length & 0xff);
  else {
    header.push(maskBit | 127);
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(length));
    header.push(...big);
  }
  if (!masked) return Buffer.concat([Buffer.from(header), payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([Buffer.from(header), mask, body]);
}

/** Resolves when the host closes (or resets) the socket; rejects after `timeoutMs`. */
export function closedByHost(socket: net.Socket, timeoutMs = 5_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.destroyed) return resolve();
    const timer = setTimeout(() => reject(new Error('the host kept the socket open')), timeoutMs);
    socket.resume();
    socket.on('error', () => undefined);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
