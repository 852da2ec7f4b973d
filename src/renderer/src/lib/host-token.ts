/**
 * The browser host's start token, as the page holds it: taken from the address's fragment
 * (`#token=…`, never sent over HTTP), kept in this origin's storage so a reload or a second tab
 * still has it (storage is per port, unlike a cookie), and removed from the address bar.
 */
import { TOKEN_FRAGMENT_PARAM } from '../../../shared/host-protocol';

const STORAGE_KEY = 'latent-studio.token';

export function takeHostToken(): string | null {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const given = fragment.get(TOKEN_FRAGMENT_PARAM);
  if (given) {
    try {
      localStorage.setItem(STORAGE_KEY, given);
    } catch {
      // Storage can be off (private modes); the token then lasts as long as this page.
    }
    fragment.delete(TOKEN_FRAGMENT_PARAM);
    const rest = fragment.toString();
    history.replaceState(
      history.state,
      '',
      `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`,
    );
    return given;
  }
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}
