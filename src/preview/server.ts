/**
 * `quire preview`: the web edition served from memory on loopback, rebuilt
 * when the manuscript or Quire's styles change, with a small script in each
 * page that reloads it (keeping its scroll position) or shows the
 * manuscript's errors over it. The last good build stays served while the
 * manuscript is broken. The EPUB and the PDF are built on demand, one at a
 * time, and kept until the next change.
 *
 * Only the edition's own files are served, looked up by exact name; the
 * files it copies (fonts, images) are read only if they still lie inside
 * the manuscript or Quire's own folders. Anything else is a 404. Requests
 * that name another host are refused (see guard.ts), and every response
 * carries a policy that lets a page load nothing from elsewhere.
 */
import { createReadStream } from 'node:fs'
import { readFile, realpath } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { analyze, build } from '../build.ts'
import { formatText, toDiagnostics, type Diagnostic } from '../diagnostics/report.ts'
import { isInside } from '../manuscript/inside.ts'
import { htmlRenderer } from '../render/html.ts'
import { PACKAGE_ROOT, STYLES_DIR } from '../files/paths.ts'
import type { Artifact, OutputFile } from '../render/types.ts'
import { contentType } from './content-types.ts'
import { assertSafeFolder } from '../write/safe-folder.ts'
import { createHostCheck, createNonce, fromAnotherSite, securityHeaders, type HostCheck } from './guard.ts'
import { differs, watchTrees, type TreeState } from './watch.ts'

export interface PreviewOptions {
  manuscript: string
  cwd: string
  /** (default: 4173; 0 picks a free port) */
  port?: number
  /** (default: 127.0.0.1, loopback only) */
  host?: string
  /** Where the cache and the on-demand EPUB and PDF go (default: build). */
  out?: string
  /** Lines for the terminal: rebuilds, diagnostics, downloads. */
  log?: (line: string) => void
}

export interface Preview {
  url: string
  /** Resolves once no rebuild is running or waiting. */
  settled(): Promise<void>
  /** Stop serving and watching, and stop an EPUB or PDF build under way (its browser closed). */
  close(): Promise<void>
}

const CLIENT_PATH = '/__quire/client.js'
const EVENTS_PATH = '/__quire/events'
// By way of the folder: compiled, this code may sit in a shared chunk beside dist/preview/.
const CLIENT = readFile(new URL('../preview/client.js', import.meta.url), 'utf8')
/** Quiet after a change before rebuilding (a save by rename is two events), ms. */
const QUIET_MS = 20
/** The longest a rebuild waits for changes to pause, ms: a file rewritten without end does not hold it off. */
const MAX_WAIT_MS = 250

export async function startPreview(options: PreviewOptions): Promise<Preview> {
  const log = options.log ?? (() => {})
  const out = path.resolve(options.cwd, options.out ?? 'build')
  // Refused before serving, not at the first download.
  await assertSafeFolder(out, path.resolve(options.cwd, options.manuscript), { role: 'output folder', option: '--out', suggestion: 'build' })
  const cacheDir = path.join(out, '.cache')
  let site = new Map<string, OutputFile>()
  let generation = 0
  let diagnostics: Diagnostic[] = []
  let root = path.resolve(options.cwd, options.manuscript)
  let slug = ''
  const clients = new Set<ServerResponse>()
  // The roots a copied file may resolve into: the manuscript, Quire's styles and its font packages.
  const allowedRoots = async () => Promise.all([root, STYLES_DIR, path.join(PACKAGE_ROOT, 'node_modules', '@fontsource')].map((dir) => realpath(dir).catch(() => dir)))

  const send = (event: string, data: unknown) => {
    for (const client of clients) client.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
  }

  /** Rebuild the web edition; on errors keep serving the last good one and show them. */
  const rebuild = async () => {
    const started = performance.now()
    try {
      const analyzed = await analyze({ manuscript: options.manuscript, cwd: options.cwd, cacheDir })
      root = analyzed.book.config.root
      slug = analyzed.book.config.slug
      const report = formatText(analyzed.files, { minimum: 'warning' })
      if (analyzed.errors > 0) {
        diagnostics = toDiagnostics(analyzed.files).filter((diagnostic) => diagnostic.severity === 'error')
        log(`${report}\nquire preview: ${analyzed.errors} error${analyzed.errors === 1 ? '' : 's'}: still serving the last good build`)
        send('diagnostics', diagnostics)
        return
      }
      const downloads = [{ format: 'epub' as const, name: `${slug}.epub` }, { format: 'pdf' as const, name: `${slug}.pdf` }]
      // Pages of chapters not edited come from the cache the build keeps.
      const artifact = (await htmlRenderer.render(analyzed.book, { downloads, cacheDir })) as Extract<Artifact, { kind: 'dir' }>
      site = new Map(artifact.files.map((file) => [file.path, file]))
      diagnostics = []
      generation++
      if (report) log(report)
      log(`quire preview: rebuilt in ${Math.round(performance.now() - started)} ms`)
      send('reload', { generation })
    } catch (error) {
      // A broken book.yaml or a missing folder: say so, keep serving.
      diagnostics = [{ file: options.manuscript, line: 1, column: 1, endLine: 1, endColumn: 1, page: null, ruleId: 'build-failed', severity: 'error', message: (error as Error).message }]
      log(`quire preview: ${(error as Error).message}`)
      send('diagnostics', diagnostics)
    }
  }

  // Every folder of the manuscript and of Quire's styles is watched (see watch.ts); the output folder's writes are not edits.
  let closing = false
  let timer: NodeJS.Timeout | undefined
  let firstChange = 0
  const changed = () => {
    if (closing) return
    const now = Date.now()
    if (timer === undefined) firstChange = now
    clearTimeout(timer)
    timer = setTimeout(() => {
      timer = undefined
      schedule()
    }, Math.max(0, Math.min(QUIET_MS, firstChange + MAX_WAIT_MS - now)))
  }
  const tree = watchTrees([root, STYLES_DIR], {
    onChange: changed,
    skip: (full) => full === out || isInside(out, full),
    onError: (dir, error) => log(`quire preview: cannot watch ${dir}: ${error.message}`),
  })

  /**
   * Rebuild, then check that no file changed while it read them: if one
   * did (or a folder appeared), rebuild again, whether or not its change was
   * reported. The walks cost a stat per file (a few ms for a long book).
   */
  const rebuildChecked = async (first = false) => {
    let before: TreeState | undefined
    try {
      before = await tree.scan()
    } catch (error) {
      // The manuscript folder is gone: the build says so; at the start, the preview does not start.
      if (first) throw error
      log(`quire preview: not watching the manuscript: ${(error as Error).message}`)
    }
    await rebuild()
    if (closing || !before) return
    const after = await tree.scan(before).catch(() => undefined)
    if (!after || differs(before, after)) schedule()
  }

  // One rebuild at a time; changes during one ask for one more.
  let running: Promise<void> = Promise.resolve()
  let waiting = false
  const schedule = () => {
    if (waiting || closing) return
    waiting = true
    running = running.then(async () => {
      waiting = false
      if (closing) return
      // rebuild() reports its own failures; this keeps the chain going whatever else fails.
      await rebuildChecked().catch((error: unknown) => log(`quire preview: ${(error as Error).message}`))
    })
  }
  try {
    await rebuildChecked(true)
  } catch (error) {
    // The manuscript folder cannot be watched (missing, not a folder): the build says why in its words.
    tree.close()
    await rebuild()
    throw error
  }

  // The EPUB and the PDF, built when asked for, one build at a time, kept until the next change.
  const editions = new Map<string, { generation: number; file: Promise<string> }>()
  let building: Promise<unknown> = Promise.resolve()
  const stopping = new AbortController()
  const edition = (format: 'epub' | 'pdf') => {
    const known = editions.get(format)
    if (known && known.generation === generation) return known.file
    const file = building.then(async () => {
      stopping.signal.throwIfAborted()
      log(`quire preview: building the ${format.toUpperCase()}`)
      const result = await build({ manuscript: options.manuscript, cwd: options.cwd, out, formats: [format], signal: stopping.signal })
      if (result.errors > 0 || !result.written[format]) throw new Error(`The manuscript has ${result.errors} error(s): fix them to build the ${format.toUpperCase()}`)
      return result.written[format]!
    })
    building = file.catch(() => undefined)
    editions.set(format, { generation, file })
    return file
  }

  // Set once listening: the port may be chosen by the system.
  let acceptsHost: HostCheck = () => false
  const server = createServer((request, response) => {
    for (const [name, value] of Object.entries(securityHeaders())) response.setHeader(name, value)
    if (!acceptsHost(request.headers.host)) return refuse(response, 421, 'quire preview answers only to this machine\'s own names (localhost, 127.0.0.1, [::1], or --host): open it by one of those.')
    serve(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
      response.end(String((error as Error).message ?? error))
    })
  })

  async function serve(request: IncomingMessage, response: ServerResponse) {
    if (request.method !== 'GET' && request.method !== 'HEAD') return notFound(response, 405)
    const name = requestedName(request.url ?? '/')
    if (name === undefined) return notFound(response)
    const starts = `/${name}` === EVENTS_PATH || name === `${slug}.epub` || name === `${slug}.pdf`
    if (starts && fromAnotherSite(request)) return refuse(response, 403, 'quire preview: a page of another site may not start a build or listen to the preview.')
    if (`/${name}` === EVENTS_PATH) {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
      response.write(`event: hello\ndata: ${JSON.stringify({ generation, diagnostics })}\n\n`)
      clients.add(response)
      request.on('close', () => clients.delete(response))
      return
    }
    if (`/${name}` === CLIENT_PATH) return respond(response, 'client.js', await CLIENT)
    for (const format of ['epub', 'pdf'] as const) {
      if (name !== `${slug}.${format}`) continue
      let file: string
      try {
        file = await edition(format)
      } catch (error) {
        response.writeHead(409, { 'content-type': 'text/plain; charset=utf-8' })
        return response.end((error as Error).message)
      }
      return respond(response, name, await readFile(file))
    }
    const entry = site.get(name)
    if (!entry) return notFound(response)
    if ('content' in entry) {
      if (!name.endsWith('.html')) return respond(response, name, entry.content)
      const nonce = createNonce()
      for (const [header, value] of Object.entries(securityHeaders(nonce))) response.setHeader(header, value)
      return respond(response, name, injectClient(String(entry.content), generation, nonce))
    }
    // A copied file is read now: it must still lie inside the manuscript or Quire's folders (symlinks resolved).
    const real = await realpath(entry.copyFrom).catch(() => undefined)
    if (!real || !(await allowedRoots()).some((dir) => isInside(dir, real))) return notFound(response)
    response.writeHead(200, { 'content-type': contentType(name), 'cache-control': 'no-store' })
    if (request.method === 'HEAD') return response.end()
    createReadStream(real).pipe(response)
  }

  const port = options.port ?? 4173
  const host = options.host ?? '127.0.0.1'
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, host, () => resolve())
    })
  } catch (error) {
    // The port is taken, say: stop watching, or the watches would keep the process running.
    closing = true
    clearTimeout(timer)
    tree.close()
    await running
    throw error
  }
  const address = server.address() as AddressInfo
  acceptsHost = createHostCheck(host, address.port)
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/`
  return {
    url,
    async settled() {
      for (;;) {
        const current = running
        await current
        await building
        if (timer !== undefined) await new Promise((resolve) => setTimeout(resolve, QUIET_MS))
        else if (current === running && !waiting) return
      }
    },
    async close() {
      closing = true
      clearTimeout(timer)
      timer = undefined
      stopping.abort()
      tree.close()
      for (const client of clients) client.end()
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      // Open pages keep their connections alive; a download under way is cut off.
      server.closeAllConnections()
      await closed
      await running
      await building
    },
  }
}

/** The file a request names, or undefined for anything that is not a plain path below the root. */
export function requestedName(url: string): string | undefined {
  let pathname: string
  try {
    // URL() resolves `..` (also when written %2e%2e); what is left must not climb either once decoded.
    pathname = decodeURIComponent(new URL(url, 'http://preview.invalid').pathname)
  } catch {
    return undefined
  }
  if (/[\0\\]/.test(pathname)) return undefined
  const segments = pathname.split('/').filter((segment) => segment !== '')
  if (segments.some((segment) => segment === '..' || segment === '.')) return undefined
  return segments.length === 0 ? 'index.html' : segments.join('/')
}

/** The page with the preview's script, which reloads it and shows diagnostics; its nonce lets it run under the policy. */
function injectClient(html: string, generation: number, nonce: string): string {
  const tag = `<script src="${CLIENT_PATH}?g=${generation}" nonce="${nonce}" defer></script>`
  return html.includes('</head>') ? html.replace('</head>', `${tag}</head>`) : tag + html
}

function respond(response: ServerResponse, name: string, body: string | Uint8Array) {
  response.writeHead(200, { 'content-type': contentType(name), 'cache-control': 'no-store' })
  response.end(response.req.method === 'HEAD' ? undefined : body)
}

function notFound(response: ServerResponse, status = 404) {
  refuse(response, status, status === 404 ? 'Not found' : 'Method not allowed')
}

function refuse(response: ServerResponse, status: number, text: string) {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' })
  response.end(text)
}
