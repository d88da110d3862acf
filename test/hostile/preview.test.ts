/**
 * `quire preview` as a hostile page and a careless shell would meet it:
 * requests naming another host (DNS rebinding) are refused, a page of
 * another site may not start a build or hold the event stream, every
 * response carries the policy and the headers that keep the edition to
 * itself, the pages still work under that policy in a real browser, and
 * SIGINT to the CLI or SIGTERM to `npm exec quire preview` (whose shell
 * does not pass the signal on) leave no process and no open port behind,
 * a browser printing a PDF included.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { connect } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { previewUrl, spawnPreview } from '../../bench/preview.ts'
import { createBrowserSession } from '../../src/browser/session.ts'
import { createHostCheck } from '../../src/preview/guard.ts'
import { ROOT } from '../helpers.ts'

const SECURITY_HEADERS = ['content-security-policy', 'x-content-type-options', 'referrer-policy', 'cross-origin-resource-policy']

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** GET (or `method`) a raw path from the preview at `base`, with the headers given (`host` replaces the real one). */
function ask(base: string, rawPath: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  const url = new URL(base)
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: rawPath, method, headers }, (response) => {
      let body = ''
      const done = () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body })
      // The event stream never ends: its headers are the answer.
      if (String(response.headers['content-type']).startsWith('text/event-stream')) {
        response.destroy()
        return done()
      }
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => void (body += chunk))
      response.on('end', done)
    })
    req.on('error', reject)
    req.end()
  })
}

function assertHardened(answer: Answer, what: string) {
  for (const header of SECURITY_HEADERS) assert.ok(answer.headers[header], `${what}: ${header} is missing`)
  const policy = String(answer.headers['content-security-policy'])
  for (const directive of ["default-src 'none'", "img-src 'self'", "font-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"]) {
    assert.ok(policy.includes(directive), `${what}: the policy lacks ${directive}: ${policy}`)
  }
  assert.doesNotMatch(policy, /https?:|\*|unsafe/, `${what}: the policy allows a remote or inline load`)
  assert.equal(answer.headers['x-content-type-options'], 'nosniff', what)
  assert.equal(answer.headers['referrer-policy'], 'no-referrer', what)
  assert.equal(answer.headers['cross-origin-resource-policy'], 'same-origin', what)
}

/** Every live process below `pid`, from /proc. */
function descendants(pid: number): { pid: number; command: string }[] {
  const children = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (fields[0] === 'Z') continue
      const parent = Number(fields[1])
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)])
    } catch {
      // gone meanwhile
    }
  }
  const found: { pid: number; command: string }[] = []
  const walk = (parent: number) => {
    for (const child of children.get(parent) ?? []) {
      let command = ''
      try {
        command = readFileSync(`/proc/${child}/cmdline`, 'utf8').replaceAll('\0', ' ')
      } catch {
        continue
      }
      found.push({ pid: child, command })
      walk(child)
    }
  }
  walk(pid)
  return found
}

/** Whether a process still runs (a zombie does not). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/** Wait until the port is closed and none of `pids` runs; then say what is left. */
async function assertAllGone(port: number, pids: { pid: number; command: string }[], what: string) {
  const deadline = Date.now() + 15_000
  while (Date.now() < deadline && ((await listening(port)) || pids.some(({ pid }) => alive(pid)))) await sleep(100)
  const left = pids.filter(({ pid }) => alive(pid))
  for (const { pid } of left) process.kill(pid, 'SIGKILL')
  assert.equal(await listening(port), false, `${what}: port ${port} is still open`)
  assert.deepEqual(left, [], `${what}: processes outlived the preview`)
}

async function copyOfSample() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-hostile-preview-'))
  await cp(path.join(ROOT, 'chapters'), path.join(dir, 'chapters'), { recursive: true })
  return dir
}

test('a preview shared with a wildcard --host answers to this machine\'s addresses and name, a loopback one does not', () => {
  const external = Object.values(os.networkInterfaces()).flat().find((address) => address && address.family === 'IPv4' && !address.internal)?.address
  const name = os.hostname().toLowerCase()
  for (const wildcard of ['0.0.0.0', '::']) {
    const accepts = createHostCheck(wildcard, 4173)
    for (const host of ['localhost:4173', '127.0.0.1:4173', '[::1]:4173', `${name}:4173`, `${name}.local:4173`, ...(external ? [`${external}:4173`] : [])]) assert.ok(accepts(host), `${wildcard} accepts ${host}`)
    for (const host of ['attacker.example:4173', `${name}.attacker.example:4173`, 'localhost:4174', 'localhost', undefined]) assert.ok(!accepts(host), `${wildcard} refuses ${host}`)
  }
  const loopback = createHostCheck('127.0.0.1', 4173)
  for (const host of [`${name}:4173`, ...(external ? [`${external}:4173`] : [])]) assert.ok(!loopback(host), `loopback refuses ${host}`)
  assert.ok(createHostCheck('::1', 80)('[::1]'), 'port 80 may be left out')
  assert.ok(createHostCheck('book.lan', 4173)('BOOK.LAN:4173'), 'the --host given, in any case')
})

test('preview refuses other hosts and other sites, hardens every response, works under its policy, and stops on SIGINT', { timeout: 240_000 }, async () => {
  const dir = await copyOfSample()
  const { child, url } = await spawnPreview(path.join(ROOT, 'bin/quire.js'), ['chapters', '--out', 'build'], dir)
  const session = createBrowserSession()
  try {
    const port = Number(new URL(url).port)

    // DNS rebinding: the name in Host is the attacker's; refused before anything is read.
    for (const host of ['attacker.example', `attacker.example:${port}`, `localhost:${port + 1}`, `127.0.0.1.attacker.example:${port}`, `localhost.:${port}`, `user@localhost:${port}`]) {
      const answer = await ask(url, '/index.html', { host })
      assert.ok(answer.status === 421 || answer.status === 403, `Host ${host} answered ${answer.status}`)
      assert.doesNotMatch(answer.body, /<html/i, `Host ${host} got the page`)
      assertHardened(answer, `Host ${host}`)
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `LOCALHOST:${port}`]) {
      const answer = await ask(url, '/index.html', { host })
      assert.equal(answer.status, 200, `Host ${host}`)
      assert.match(answer.body, /<html/i)
    }

    // A page of another site may not start a build or listen to the event stream.
    for (const [rawPath, headers] of [
      ['/writing-with-quire.pdf', { 'sec-fetch-site': 'cross-site' }],
      ['/writing-with-quire.epub', { origin: 'http://attacker.example' }],
      ['/__quire/events', { origin: `http://localhost:${port + 1}` }],
      ['/__quire/events', { 'sec-fetch-site': 'same-site' }],
    ] as const) {
      const answer = await ask(url, rawPath, headers)
      assert.equal(answer.status, 403, `${rawPath} with ${JSON.stringify(headers)}`)
      assertHardened(answer, rawPath)
    }
    assert.equal((await ask(url, '/__quire/events', { origin: url.slice(0, -1), 'sec-fetch-site': 'same-origin' })).status, 200, 'its own pages listen')

    // Every response, whatever it is, carries the headers.
    const index = await ask(url, '/')
    const styles = [...index.body.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((match) => `/${match[1]}`)
    const font = /url\(([^)]+\.woff2)\)/.exec((await ask(url, '/fonts.css')).body)?.[1]
    assert.ok(font, 'fonts.css names a font')
    const answers: [string, Answer][] = [
      ['/', index],
      ...(await Promise.all([...styles, `/${font}`, '/images/pipeline.svg', '/01-the-manuscript.html', '/__quire/client.js', '/__quire/events', '/missing.html', '/../package.json'].map(async (raw) => [raw, await ask(url, raw)] as [string, Answer]))),
      ['POST /', await ask(url, '/', {}, 'POST')],
    ]
    for (const [what, answer] of answers) assertHardened(answer, what)
    assert.deepEqual(answers.map(([what, answer]) => [what, answer.status]).filter(([, status]) => status !== 200).map(([what]) => what), ['/missing.html', '/../package.json', 'POST /'])
    // The page's only script is the preview's, allowed by the nonce of that response alone.
    const nonce = /'nonce-([^']+)'/.exec(String(index.headers['content-security-policy']))?.[1]
    assert.ok(nonce, 'the page policy has a nonce')
    assert.deepEqual([...index.body.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]), [`<script src="/__quire/client.js?g=1" nonce="${nonce}" defer>`])
    assert.match(String(answers.find(([what]) => what === '/images/pipeline.svg')![1].headers['content-security-policy']), /script-src 'none'/)

    // In a browser: fonts, styles and images load, the page reloads on save and downloads work, with no violation.
    const browser = await session.browser()
    const page = await browser.newPage()
    const complaints: string[] = []
    page.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) complaints.push(message.text())
    })
    page.on('pageerror', (error) => complaints.push(String(error)))
    page.on('requestfailed', (failed) => complaints.push(`failed: ${failed.url()} ${failed.failure()?.errorText}`))
    page.on('response', (response) => {
      if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) complaints.push(`${response.status()} ${response.url()}`)
    })
    await page.evaluateOnNewDocument(`document.addEventListener('securitypolicyviolation', (event) => console.error('Content Security Policy violation: ' + event.violatedDirective + ' ' + event.blockedURI))`)
    await page.goto(`${url}01-the-manuscript.html`, { waitUntil: 'load' })
    await page.evaluate('document.fonts.ready')
    assert.equal(await page.evaluate(`[...document.fonts].some((face) => face.family.includes('Literata') && face.status === 'loaded')`), true, 'the text face loaded')
    assert.equal(await page.evaluate(`[...document.images].every((image) => image.complete && image.naturalWidth > 0)`), true, 'the images loaded')
    assert.notEqual(await page.evaluate(`getComputedStyle(document.body).fontFamily`), '', 'screen.css applied')

    const chapter = path.join(dir, 'chapters', '01-the-manuscript.md')
    const original = await readFile(chapter, 'utf8')
    await writeFile(chapter, original.replace('Picture an author we will call Ingrid.', 'Picture an author we will call Solveig.'))
    await page.waitForFunction(`document.body.innerText.includes('we will call Solveig')`, { timeout: 60_000 })

    // The EPUB download, through the preview's script (fetch, then a blob link).
    await page.goto(url, { waitUntil: 'load' })
    await page.click('.downloads a[href$=".epub"]')
    await page.waitForFunction(`!document.querySelector('.downloads a[href$=".epub"]').hasAttribute('aria-busy')`, { timeout: 120_000 })
    assert.equal(await page.$eval('.downloads a[href$=".epub"]', (link) => link.textContent), 'Download EPUB', 'the download finished without an error')
    assert.deepEqual(complaints, [], 'no policy violation, failed load or error in the browser')
    await page.close()

    // SIGINT, as Ctrl-C sends it: the port closes and nothing it started lives on.
    const family = [{ pid: child.pid!, command: 'quire preview' }, ...descendants(child.pid!)]
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    child.kill('SIGINT')
    assert.equal(await exited, 0, 'the preview exits cleanly on SIGINT')
    await assertAllGone(port, family, 'SIGINT')
  } finally {
    await session.close()
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await rm(dir, { recursive: true, force: true })
  }
})

test('SIGTERM to `npm exec quire preview` while a PDF is printing leaves no process and no open port', { timeout: 240_000 }, async () => {
  const dir = await copyOfSample()
  // As an author runs it, from the project (npm finds the package's own bin there).
  const child = spawn('npm', ['exec', '--offline', 'quire', '--', 'preview', path.join(dir, 'chapters'), '--port', '0', '--out', path.join(dir, 'build')], {
    cwd: ROOT,
    env: { ...process.env, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk))
  const family = () => [{ pid: child.pid!, command: 'npm exec' }, ...descendants(child.pid!)]
  let seen: { pid: number; command: string }[] = []
  try {
    const url = await previewUrl(child, () => stderr, 'npm exec quire preview')
    const port = Number(new URL(url).port)
    // Ask for the PDF and wait until the browser that prints it runs.
    ask(url, '/writing-with-quire.pdf').catch(() => undefined)
    // The tree as one reading saw it: read again, it may miss a process that was starting or had just printed.
    const deadline = Date.now() + 90_000
    for (seen = family(); Date.now() < deadline && !seen.some(({ command }) => /chrom/i.test(command)); seen = family()) await sleep(100)
    assert.ok(seen.some(({ command }) => /chrom/i.test(command)), `a browser was started for the PDF: ${stderr}`)
    assert.ok(seen.some(({ command }) => /quire(\.js)? preview/.test(command) && !command.startsWith('npm')), 'the node process serving the preview is below npm')

    child.kill('SIGTERM')
    await assertAllGone(port, seen, 'SIGTERM to npm exec')
  } finally {
    for (const { pid } of [...seen, ...family()]) if (alive(pid)) process.kill(pid, 'SIGKILL')
    await rm(dir, { recursive: true, force: true })
  }
})
