/**
 * What the host answers a tab whose token is not this start's: most often a tab left open while
 * the host restarted (each start makes a new token). The tab must stop retrying and say so, and
 * may be handed the new address, but only where that cannot leak the token:
 *
 * - Only to the host's own pages. The upgrade reaching this point already passed the `Host` check
 *   (no DNS rebinding) and `Origin` equals `http://<Host>`: browsers set `Origin` themselves, so no
 *   other site's page can send it, and another site never sees the answer.
 * - Only on a loopback bind. Elsewhere anyone on the network can send any `Origin` (it proves
 *   nothing outside a browser), and the token is all that stands between them and the user's data.
 * - Only to a tab that offers a token of an earlier start of this data folder (`earlier-tokens.ts`).
 *   On loopback, `Origin` is no proof either: another local program or another user of the
 *   machine can forge it, and the token is what keeps them out. Holding an earlier token shows the
 *   user gave this tab the address before; a guess or a forged header gets the message only.
 *
 * Everyone else with the right origin gets the plain message (no address): it says nothing the
 * printed 401 does not.
 */
import { isIP } from 'node:net';
import { TOKEN_FRAGMENT_PARAM } from '../shared/host-protocol';

/** A WebSocket close reason is at most 123 bytes; a longer address is not sent at all. */
const MAX_CLOSE_REASON_BYTES = 123;

export function isLoopbackBind(bind: string): boolean {
  const address = bind.startsWith('[') ? bind.slice(1, -1) : bind;
  if (address.toLowerCase() === 'localhost') return true;
  if (isIP(address) === 4) return address.startsWith('127.');
  return address === '::1' || address === '0:0:0:0:0:0:0:1';
}

export interface StaleTokenQuestion {
  /** The address the host is bound to (`--host`). */
  bind: string;
  /** The upgrade's `Origin`, already checked to be this host's own (`http://<Host>`). */
  origin: string;
  /** The token the tab offered, which is not this start's. */
  offered: string;
  /** Whether `offered` was the token of an earlier start of this data folder. */
  isEarlierToken: (offered: string) => boolean;
  /** This start's token. */
  token: string;
}

/** The new tokenised address to hand the tab, or null where it may only be told to find it. */
export function staleTokenAddress(question: StaleTokenQuestion): string | null {
  if (!isLoopbackBind(question.bind)) return null;
  if (!question.isEarlierToken(question.offered)) return null;
  const address = `${question.origin}/#${TOKEN_FRAGMENT_PARAM}=${question.token}`;
  return Buffer.byteLength(address) <= MAX_CLOSE_REASON_BYTES ? address : null;
}
