/**
 * Who may talk to the studio. It listens on loopback, but a web page can still reach it: through DNS
 * rebinding (a name of the attacker's that resolves to 127.0.0.1, so the browser sends that name as Host)
 * or with a cross-site form or fetch. So a request must name the studio itself in `Host`, and a POST that
 * carries an `Origin` must come from the studio's own pages. Pure: the caller passes the headers in.
 */

/** Why a request is refused, and the answer to give. */
export interface Refusal {
  readonly status: 403 | 421;
  readonly message: string;
}

/** The headers the guard looks at. */
export interface GuardedRequest {
  readonly method: string;
  readonly host: string | undefined;
  readonly origin: string | undefined;
}

/** Binding to every interface: no single name is "the configured one". */
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

/**
 * The `Host` values the studio answers to: `localhost`, `127.0.0.1` and `[::1]` on its port, and the host it
 * was told to listen on (a LAN name or address, when someone chose one).
 */
export function studioHosts(port: number, listenHost?: string): string[] {
  const names = ['localhost', '127.0.0.1', '[::1]'];
  if (listenHost && !WILDCARD_HOSTS.has(listenHost))
    names.push(listenHost.includes(':') && !listenHost.startsWith('[') ? `[${listenHost}]` : listenHost);
  const unique = [...new Set(names.map((name) => name.toLowerCase()))];
  // Port 80 is the one a browser leaves out of Host.
  return unique.flatMap((name) => (port === 80 ? [`${name}:80`, name] : [`${name}:${port}`]));
}

/** Refuses a request addressed to another name, or a POST from another site's page; undefined lets it through. */
export function refuseForeignRequest(request: GuardedRequest, hosts: readonly string[]): Refusal | undefined {
  const where = hosts
    .filter((h) => h.includes(':'))
    .slice(0, 2)
    .map((h) => `http://${h}/`)
    .join(' or ');
  const host = request.host?.trim().toLowerCase();
  if (!host || !hosts.includes(host)) {
    return {
      status: 421,
      message:
        `This is the newsbrief studio; it answers only at ${where}. This request was addressed to ${host ? `"${request.host}"` : 'no host'}, ` +
        'so it may come from a web page trying to reach the studio through its own domain name (DNS rebinding). Refused; open the studio at its own address.',
    };
  }
  if (request.method === 'POST' && request.origin !== undefined && !hosts.some((h) => request.origin!.toLowerCase() === `http://${h}`)) {
    return {
      status: 403,
      message: `Refused: this request came from a page at ${request.origin}, not from the studio (${where}). Nothing was done; use the studio's own pages.`,
    };
  }
  return undefined;
}
