// Which pages may open a live socket. Browsers send Origin on every WebSocket upgrade and attach cookies
// whatever page asks, so a cookie-authenticated upgrade is only accepted from the dashboard itself: the
// Origin's host must be the Host the request was sent to (the dashboard is served from the API's own
// address), or the configured public URL (RAMPART_PUBLIC_URL, for a proxy that rewrites Host). The
// scheme is not compared: a TLS-terminating proxy hands us http for an https page.
//
// No Origin at all means no browser: command-line clients and agents. They must authenticate with an
// API token (a bearer header, which no other page can make a browser send); a session cookie without an
// Origin is refused, since the cookie is the browser's credential and a browser always sends Origin.

export type TOriginVerdict = { ok: true } | { ok: false; message: string };

export function checkSocketOrigin(input: {
  origin: string | undefined;
  host: string | undefined;
  publicUrl: string;
  credential: 'session' | 'token' | null;
}): TOriginVerdict {
  if (input.origin === undefined) {
    return input.credential === 'token'
      ? { ok: true }
      : { ok: false, message: 'A live socket without an Origin header must authenticate with an API token' };
  }
  let origin: URL;
  try {
    origin = new URL(input.origin);
  } catch {
    return { ok: false, message: 'The Origin header is not a URL' };
  }
  if (origin.origin === new URL(input.publicUrl).origin) return { ok: true };
  if (input.host && origin.host === hostOf(input.host, origin.protocol)) return { ok: true };
  return { ok: false, message: `Live sockets are only accepted from the dashboard's own origin, not ${origin.origin}` };
}

/** The Host header as URL.host writes it for the Origin's scheme (lower case, default port dropped). */
function hostOf(host: string, protocol: string): string | null {
  try {
    return new URL(`${protocol}//${host}`).host;
  } catch {
    return null;
  }
}
