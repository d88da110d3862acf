/**
 * What the preview answers, and with which headers. A page on another site
 * can reach the preview through a name it controls that it re-points at
 * 127.0.0.1 (DNS rebinding); the browser then treats the preview as that
 * site and lets the page read it. The `Host` header is the one thing such a
 * request cannot choose, so only this machine's own names are answered:
 * `localhost`, `127.0.0.1` and `[::1]`, the `--host` given, and, when that
 * is a wildcard (`0.0.0.0`, `::`) that shares the preview on the network,
 * the addresses of this machine's interfaces and its host name (also as
 * `NAME.local`); always with the port the preview listens on.
 */
import { randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import os from 'node:os'

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]']
const WILDCARDS = new Set(['0.0.0.0', '[::]'])

/** Decides whether a request's `Host` (or `Origin`) names this preview. */
export interface HostCheck {
  (host: string | undefined): boolean
}

/** The check for a preview listening on `host` (as given to `--host`) and `port`. */
export function createHostCheck(host: string, port: number): HostCheck {
  const given = hostname(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host)
  const names = new Set(LOOPBACK)
  if (given) names.add(given)
  const shared = given !== undefined && WILDCARDS.has(given)
  return (header) => {
    const target = parseHost(header)
    if (!target || target.port !== port) return false
    if (names.has(target.hostname)) return true
    // Read now, not at start: an address can change while the preview runs (a new network, DHCP).
    return shared && machineNames().has(target.hostname)
  }
}

/**
 * Whether a request comes from a page of another site: a browser says so in
 * `Sec-Fetch-Site`, or sends an `Origin` other than the preview's own. Such
 * a request may not start a build or hold an event stream open.
 */
export function fromAnotherSite(request: IncomingMessage): boolean {
  const site = request.headers['sec-fetch-site']
  if (site === 'cross-site' || site === 'same-site') return true
  const origin = request.headers.origin
  if (origin === undefined) return false
  const own = parseHost(request.headers.host)
  try {
    const url = new URL(origin)
    return url.protocol !== 'http:' || own === undefined || url.host !== own.host
  } catch {
    return true // `null` or garbage
  }
}

/** A fresh nonce for the preview's script in one page. */
export function createNonce(): string {
  return randomBytes(18).toString('base64')
}

/**
 * Headers for every response. The policy loads nothing from anywhere but
 * the preview, runs no script but its own (the page's, by `nonce`; none in
 * any other response, an SVG opened on its own included), and lets no other
 * site frame, embed or be told about the preview.
 */
export function securityHeaders(nonce?: string): Record<string, string> {
  const policy = [
    "default-src 'none'",
    `script-src ${nonce ? `'nonce-${nonce}'` : "'none'"}`,
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    // The event stream and the downloads, fetched by the preview's script.
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
  return {
    'content-security-policy': policy,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
  }
}

/** `Host`'s name (lowercase; IPv6 in brackets) and port (80 when absent), or undefined when it is not a plain host. */
function parseHost(header: string | undefined): { hostname: string; port: number; host: string } | undefined {
  // Nothing but a name or address and a port: no user, path, query or spaces.
  if (!header || !/^[\w.~-]+(:\d+)?$|^\[[\da-f:.]+\](:\d+)?$/i.test(header)) return undefined
  try {
    const url = new URL(`http://${header}`)
    return { hostname: url.hostname, port: url.port === '' ? 80 : Number(url.port), host: url.host }
  } catch {
    return undefined
  }
}

function hostname(host: string): string | undefined {
  return parseHost(host)?.hostname
}

/** This machine's interface addresses and host name, as a browser on the network would write them in `Host`. */
function machineNames(): Set<string> {
  const names = new Set<string>()
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const { address, family } of addresses ?? []) {
      const name = hostname(family === 'IPv6' ? `[${address}]` : address)
      if (name) names.add(name)
    }
  }
  const own = os.hostname().toLowerCase()
  names.add(own)
  names.add(`${own}.local`)
  return names
}
