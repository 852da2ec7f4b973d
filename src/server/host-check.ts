/**
 * DNS rebinding defence: a page on `attacker.example` whose name is re-pointed at 127.0.0.1 reaches
 * this host as the same origin, so every request's `Host` header must name this host as a person
 * would reach it. IP literals cannot be rebound; names can, so only known ones pass.
 */
import { isIP } from 'node:net';
import os from 'node:os';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARD_BINDS = new Set(['0.0.0.0', '::', '']);

export interface HostCheckOptions {
  /** The address the server is bound to (`--host`). */
  bind: string;
  port: number;
  /** More names users reach this machine by (`--allowed-host`), e.g. a DNS name behind a proxy. */
  allowedNames?: readonly string[];
}

/** Splits `name:port` / `[v6]:port`; the name lower-cased, null for a malformed header. */
function parseHostHeader(header: string): { name: string; port: number | null } | null {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(header.trim());
  if (!match) return null;
  return { name: match[1]!.toLowerCase(), port: match[2] === undefined ? null : Number(match[2]) };
}

function isIpLiteral(name: string): boolean {
  return isIP(name.startsWith('[') ? name.slice(1, -1) : name) !== 0;
}

export function hostChecker(options: HostCheckOptions): (header: string | undefined) => boolean {
  const bind = options.bind.toLowerCase();
  const wildcard = WILDCARD_BINDS.has(bind);
  const names = new Set([...LOOPBACK_NAMES, ...(options.allowedNames ?? []).map((n) => n.toLowerCase())]);
  names.add(bind.includes(':') ? `[${bind}]` : bind);
  if (wildcard) {
    const hostname = os.hostname().toLowerCase();
    names.add(hostname);
    names.add(`${hostname}.local`);
  }
  return (header) => {
    if (typeof header !== 'string') return false;
    const parsed = parseHostHeader(header);
    // No port in the header means HTTP's default.
    if (!parsed || (parsed.port ?? 80) !== options.port) return false;
    // A wildcard bind is reached by any of the machine's addresses; an address is never rebound.
    return names.has(parsed.name) || (wildcard && isIpLiteral(parsed.name));
  };
}
