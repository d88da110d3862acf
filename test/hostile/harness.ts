/**
 * The hostile-manuscript harness. Each case is a manuscript written into a
 * fresh folder with a canary file beside it (outside the book) and a local
 * HTTP server that counts every request. The case is built with the CLI
 * (`--report json`, so the diagnostics come from the build itself) into an
 * output folder that already holds a good edition; then:
 *
 * - the exit code and the diagnostics (rule id, line, column) are what the
 *   case expects;
 * - no output (every file of the web edition, the unzipped EPUB, the PDF's
 *   text) contains the canary's secret, and the server saw no request;
 * - a failed build left the previous good edition byte-identical;
 * - a build that succeeded wrote an EPUB epubcheck passes with no error and
 *   no warning, and SVGs with no DOCTYPE, entity, script or `@import`.
 *
 * Manuscript texts may use `{{SERVER}}` (the server's origin) and
 * `{{CANARY}}` (the canary file's absolute path).
 */
import assert from 'node:assert/strict'
import { createHash, randomUUID } from 'node:crypto'
import { execFile } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import { cp, mkdtemp, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import JSZip from 'jszip'
import { epubcheck } from '../epub-helpers.ts'
import { cli, DOT_GIF } from '../helpers.ts'

/** A good little book, built into the output folder before each case. */
const GOOD_BOOK: Record<string, string | Uint8Array> = {
  'book.yaml': 'title: A Good Book\nlanguage: en\ndate: 2026-01-01\n',
  '01-good.md': '---\ntitle: Good\n---\nA good chapter, with one paragraph.\n\n![A dot](images/dot.gif "Figure 1. A dot")\n',
  'images/dot.gif': DOT_GIF,
}

export interface HostileCase {
  /** The manuscript: path → text or bytes (`{{SERVER}}` and `{{CANARY}}` are filled in). */
  files: Record<string, string | Uint8Array>
  /** Formats to build (default: html, epub). */
  formats?: ('html' | 'epub' | 'pdf')[]
  /** Extra CLI arguments (`--draft` …). */
  args?: string[]
  /** Symbolic links to make in the manuscript: path → target (`{{CANARY}}` is filled in). */
  symlinks?: Record<string, string>
}

export interface HostileResult {
  code: number
  stdout: string
  stderr: string
  /** The build's diagnostics (`--report json`: the same as `quire check --format json`). */
  diagnostics: { file: string; line: number; column: number; ruleId: string; severity: string; message: string }[]
  /** The manuscript folder and the output folder. */
  dir: string
  out: string
  /** Every request the local server received. */
  requests: string[]
  /** Every output file's bytes, keyed by path relative to `out` (the EPUB also as `<name>.epub!/<entry>`, the PDF as `<name>.pdf!text`). */
  outputs: Map<string, Buffer>
}

let server: { server: Server; origin: string; requests: string[] } | undefined

/** The counting server, started once per test file. */
async function countingServer() {
  if (server) return server
  const requests: string[] = []
  const instance = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`)
    response.end('CANARY-REMOTE')
  })
  await new Promise<void>((resolve) => instance.listen(0, '127.0.0.1', resolve))
  const address = instance.address()
  if (!address || typeof address === 'string') throw new Error('the counting server has no port')
  instance.unref()
  server = { server: instance, origin: `http://127.0.0.1:${address.port}`, requests }
  return server
}

/** Write a case, build a good edition into its output folder, build the case over it, and read everything back. */
export async function runHostile(hostile: HostileCase): Promise<HostileResult> {
  const { origin, requests } = await countingServer()
  const before = requests.length
  const parent = await mkdtemp(path.join(os.tmpdir(), 'quire-hostile-'))
  const secret = `CANARY-${randomUUID()}`
  const canary = path.join(parent, 'canary.txt')
  await writeFile(canary, `${secret}\n`)
  const dir = path.join(parent, 'book')
  const out = path.join(parent, 'out')
  const fill = (text: string) => text.replaceAll('{{SERVER}}', origin).replaceAll('{{CANARY}}', canary)
  await writeFiles(dir, Object.fromEntries(Object.entries(hostile.files).map(([name, value]) => [name, typeof value === 'string' ? fill(value) : value])))
  for (const [name, target] of Object.entries(hostile.symlinks ?? {})) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true })
    await symlink(fill(target), path.join(dir, name))
  }
  const formats = (hostile.formats ?? ['html', 'epub']).join(',')

  await cp(await goodEdition(formats), out, { recursive: true })
  const previous = await snapshot(out)

  // The build reports what check would (it runs the same rules first), as JSON on stdout.
  const result = await cli(['build', dir, '--out', out, '--format', formats, '--report', 'json', ...(hostile.args ?? [])], { cwd: parent })
  let diagnostics: HostileResult['diagnostics'] = []
  try {
    diagnostics = JSON.parse(result.stdout)
  } catch {
    // Only a build that stopped on a thrown error (a refused folder, a table too wide) prints no report.
    assert.ok(result.code !== 0 && result.stdout === '', `quire build --report json printed no JSON:\n${result.stdout}\n${result.stderr}`)
  }
  const outputs = await readOutputs(out)
  const leaked = [...outputs].filter(([, bytes]) => bytes.includes(secret)).map(([name]) => name)
  assert.deepEqual(leaked, [], `the canary beside the book appears in the outputs`)
  assert.deepEqual(requests.slice(before), [], 'the build sent no request')
  // A --draft build writes its editions despite errors in the manuscript (and still exits 1).
  if (result.code !== 0 && !hostile.args?.includes('--draft')) {
    const after = await snapshot(out)
    assert.deepEqual(difference(previous, after), [], 'a failed build leaves the previous edition as it was')
  }
  return { code: result.code, stdout: result.stdout, stderr: result.stderr, diagnostics, dir, out, requests: requests.slice(before), outputs }
}

/** For a case that built: epubcheck is clean, and every SVG written is inert. */
export async function assertValidEditions(result: HostileResult): Promise<void> {
  assert.equal(result.code, 0, result.stderr)
  await assertWrittenEditionsValid(result)
}

/** Whatever the exit code (a --draft build with errors exits 1): epubcheck is clean, and every SVG written is inert. */
export async function assertWrittenEditionsValid(result: HostileResult): Promise<void> {
  const epub = (await readdir(result.out)).find((name) => name.endsWith('.epub'))
  if (epub) {
    const check = await epubcheck(path.join(result.out, epub))
    assert.equal(check.fatals + check.errors + check.warnings, 0, check.output)
  }
  for (const [name, bytes] of result.outputs) {
    const text = bytes.toString('utf8')
    // A link into nothing never reaches an edition: no <a> without an href, no href to a manuscript file.
    if (/\.x?html$/i.test(name)) assert.doesNotMatch(text, /<a(?![^>]*\shref=)(?:\s[^>]*)?>|\shref="[^"#:]*\.md(?:#[^"]*)?"/i, `${name} has no dead link`)
    if (!/\.svg$/i.test(name)) continue
    assert.doesNotMatch(text, /<!DOCTYPE|<!ENTITY|<script|@import|&[a-z][\w.-]*;(?<!&(?:amp|lt|gt|quot|apos);)/i, `${name} is inert`)
  }
}

/** The first diagnostic with `ruleId`, or a failure naming what was reported. */
export function diagnostic(result: HostileResult, ruleId: string) {
  const found = result.diagnostics.find((entry) => entry.ruleId === ruleId)
  assert.ok(found, `${ruleId} reported; got ${result.diagnostics.map((entry) => `${entry.ruleId}@${entry.line}:${entry.column}`).join(', ') || 'nothing'}\n${result.stderr}`)
  return found
}

const goodEditions = new Map<string, Promise<string>>()

/** The good book built once per format list (and test file); each case starts from a copy. */
function goodEdition(formats: string): Promise<string> {
  let built = goodEditions.get(formats)
  if (!built) {
    built = (async () => {
      const parent = await mkdtemp(path.join(os.tmpdir(), 'quire-good-'))
      await writeFiles(path.join(parent, 'book'), GOOD_BOOK)
      const out = path.join(parent, 'out')
      const first = await cli(['build', path.join(parent, 'book'), '--out', out, '--format', formats], { cwd: parent })
      assert.equal(first.code, 0, `the good book builds: ${first.stderr}`)
      return out
    })()
    goodEditions.set(formats, built)
  }
  return built
}

async function writeFiles(dir: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [name, value] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true })
    await writeFile(path.join(dir, name), value)
  }
}

/** Every file under `dir` (the cache aside), with the EPUB's entries and the PDF's text besides. */
async function readOutputs(dir: string): Promise<Map<string, Buffer>> {
  const outputs = new Map<string, Buffer>()
  for (const name of await walk(dir)) {
    const bytes = await readFile(path.join(dir, name))
    outputs.set(name, bytes)
    if (name.endsWith('.epub')) {
      const zip = await JSZip.loadAsync(bytes)
      for (const entry of Object.values(zip.files)) if (!entry.dir) outputs.set(`${name}!/${entry.name}`, Buffer.from(await entry.async('uint8array')))
    }
    if (name.endsWith('.pdf')) outputs.set(`${name}!text`, Buffer.from(await pdfText(path.join(dir, name))))
  }
  return outputs
}

async function snapshot(dir: string): Promise<Map<string, string>> {
  const hashes = new Map<string, string>()
  for (const name of await walk(dir)) hashes.set(name, createHash('sha256').update(await readFile(path.join(dir, name))).digest('hex'))
  return hashes
}

function difference(a: Map<string, string>, b: Map<string, string>): string[] {
  const names = new Set([...a.keys(), ...b.keys()])
  return [...names].filter((name) => a.get(name) !== b.get(name)).map((name) => `${name}: ${a.has(name) ? (b.has(name) ? 'changed' : 'removed') : 'added'}`)
}

/** Files under `dir`, relative, without the build cache (its entries are not editions). */
async function walk(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(path.join(dir, prefix), { withFileTypes: true }).catch(() => [])
  const files: string[] = []
  for (const entry of entries) {
    const name = path.join(prefix, entry.name)
    if (entry.isDirectory()) {
      if (name !== '.cache') files.push(...(await walk(dir, name)))
    } else files.push(name)
  }
  return files.sort()
}

function pdfText(file: string): Promise<string> {
  return new Promise((resolve, reject) => execFile('pdftotext', [file, '-'], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => (error ? reject(error) : resolve(stdout))))
}
