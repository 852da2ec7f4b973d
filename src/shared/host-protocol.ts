/**
 * How a page of the browser host proves it holds the start token (see `src/server/access-token.ts`):
 * the printed address is `http://HOST:PORT/#token=…`, and the page's WebSocket offers two
 * subprotocols, `HOST_PROTOCOL` (which the host selects) and `TOKEN_PROTOCOL_PREFIX + token`.
 * Base64url tokens are valid subprotocol names.
 */
export const HOST_PROTOCOL = 'latent-studio.v1';
export const TOKEN_PROTOCOL_PREFIX = 'latent-studio.token.';
/** The fragment parameter of the printed address that carries the token. */
export const TOKEN_FRAGMENT_PARAM = 'token';
/** The query parameter of a media address that carries the media key. */
export const MEDIA_KEY_PARAM = 'key';

/** The host's first frame on a new socket: the key media addresses need. */
export interface HelloFrame {
  t: 'hello';
  mediaKey: string;
}
