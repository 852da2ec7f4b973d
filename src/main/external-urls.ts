/** The only pages the app opens in the user's browser: its docs and issues. */
const EXTERNAL_ALLOW_LIST = [/^https:\/\/github\.com\/latent-studio\/latent-studio([/#?]\S*)?$/];

export function isAllowedExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // The parsed form, so userinfo ("https://github.com@evil.example") or odd casing cannot slip through.
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port) return false;
  return EXTERNAL_ALLOW_LIST.some((pattern) => pattern.test(parsed.href));
}
