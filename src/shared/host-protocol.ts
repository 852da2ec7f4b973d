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

/**
 * The close code of a socket whose token is not this start's (the host was started again since the
 * page got its address): retrying cannot help. The close reason is the new tokenised address where
 * the host may hand it to this page (`src/server/stale-token.ts`), else empty.
 */
export const STALE_TOKEN_CLOSE_CODE = 4001;

/** The host's first frame on a new socket: the key media addresses need. */
export interface HelloFrame {
  t: 'hello';
  mediaKey: string;
}
