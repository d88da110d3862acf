/**
 * The output folder is the author's too: a build replaces or removes only
 * the files it recorded in OUT/.quire-manifest.json, refuses folders it must
 * not write into (the root, the home folder, the manuscript, a folder
 * holding it), takes a lock against a second build, and publishes the
 * editions of one build together, so a build killed while rendering leaves
 * the previous set as it was.
 */
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rename, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { cli, DOT_GIF, ROOT } from '../helpers.ts'

const BOOK: Record<string, string | Uint8Array> = {
  'book.yaml': 'title: Output Safety\nlanguage: en\ndate: 2026-01-01\n',
  '01-one.md': '---\ntitle: One\n---\nThe first chapter.\n\n![A dot](images/dot.gif "Figure 1. A dot")\n',
  '02-two.md': '---\ntitle: Two\n---\nThe second chapter.\n',
  'images/dot.gif': DOT_GIF,
}

/** A folder holding `book/` (the manuscript) and nothing else yet. */
async function workspace(files: Record<string, string | Uint8Array> = BOOK): Promise<{ parent: string; book: string; out: string }> {
  const parent = await mkdtemp(path.join(os.tmpdir(), 'quire-output-'))
  const book = path.join(parent, 'book')
  for (const [name, value] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(book, name)), { recursive: true })
    await writeFile(path.join(book, name), value)
  }
  return { parent, book, out: path.join(parent, 'out') }
}

/** Every file under `dir` → its SHA-256, by relative path; `skip` leaves out top-level names. */
async function snapshot(dir: string, skip: (name: string) => boolean = () => false): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])) {
    if (!entry.isFile()) continue
    const relative = path.relative(dir, path.join(entry.parentPath, entry.name))
    if (skip(relative.split(path.sep)[0]!)) continue
    files.set(relative, createHash('sha256').update(await readFile(path.join(dir, relative))).digest('hex'))
  }
  return files
}

/** The manifest names exactly the editions' files, with their hashes: one consistent set. */
async function assertManifestMatches(out: string): Promise<void> {
  const manifest = JSON.parse(await readFile(path.join(out, '.quire-manifest.json'), 'utf8')) as { editions: Record<string, Record<string, string>>; publishing?: unknown }
  assert.equal(manifest.publishing, undefined, 'no publish left half done')
  for (const files of Object.values(manifest.editions)) {
    for (const [name, hash] of Object.entries(files)) {
      assert.equal(createHash('sha256').update(await readFile(path.join(out, name))).digest('hex'), hash, `${name} is the file the manifest records`)
    }
  }
}

test('files in OUT that Quire did not write survive a rebuild; files it wrote and no longer makes go', async () => {
  const { book, out } = await workspace()
  assert.equal((await cli(['build', book, '--out', out, '--format', 'html,epub'])).code, 0)
  const foreign = { 'html/mine/photo.txt': 'a photo', 'html/index.md': '# my notes', 'notes.txt': 'beside the editions' }
  for (const [name, text] of Object.entries(foreign)) {
    await mkdir(path.dirname(path.join(out, name)), { recursive: true })
    await writeFile(path.join(out, name), text)
  }
  // Chapter two becomes chapter three: its old page is Quire's and goes, the new one comes.
  await rename(path.join(book, '02-two.md'), path.join(book, '03-two.md'))
  const rebuilt = await cli(['build', book, '--out', out, '--format', 'html,epub'])
  assert.equal(rebuilt.code, 0, rebuilt.stderr)
  for (const [name, text] of Object.entries(foreign)) assert.equal(await readFile(path.join(out, name), 'utf8'), text, `${name} is kept`)
  assert.ok(existsSync(path.join(out, 'html/03-two.html')))
  assert.ok(!existsSync(path.join(out, 'html/02-two.html')), 'the page of the old build is removed')
  await assertManifestMatches(out)
})

test('a file Quire did not write where it must write stops the build, named, and nothing is published', async () => {
  const { book, out } = await workspace()
  await mkdir(path.join(out, 'html'), { recursive: true })
  await writeFile(path.join(out, 'html/index.html'), '<p>my own page</p>')
  const result = await cli(['build', book, '--out', out, '--format', 'html'])
  assert.equal(result.code, 1)
  assert.match(result.stderr, new RegExp(`${path.join(out, 'html/index.html').replaceAll('/', '\\/')} was not written by Quire`))
  assert.equal(await readFile(path.join(out, 'html/index.html'), 'utf8'), '<p>my own page</p>')
  assert.deepEqual([...(await snapshot(out, (name) => name === '.cache')).keys()], ['html/index.html'], 'nothing else was written')
})

/** Run the CLI with a time limit (a preview that is not refused would serve for ever). */
function run(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, 'bin/quire.js'), ...args], { cwd, env: { ...process.env, CI: 'true', ...env }, timeout: 60_000 }, (error, _stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr }),
    )
  })
}

test('--out /, the home folder, the manuscript or a folder holding it (and check --cache-dir, preview --out there) are usage errors that write nothing', async () => {
  const { parent, book } = await workspace()
  const home = await mkdtemp(path.join(os.tmpdir(), 'quire-home-'))
  // For `/`: a manuscript with an error, no cache and no EPUB (whose cover is generated while the chapters
  // are parsed), so that a Quire that took `/` would still write nothing into the real root.
  const broken = path.join(parent, 'broken')
  await mkdir(broken)
  await writeFile(path.join(broken, '01-one.md'), '# One\n\nTK\n')
  const env = { HOME: home }
  const before = await snapshot(parent)
  const rootNames = ['html', '.cache', '.quire.lock', '.quire-manifest.json']
  assert.deepEqual(rootNames.filter((name) => existsSync(path.join('/', name))), [])
  const cases: [string[], RegExp][] = [
    [['build', broken, '--out', '/', '--no-cache', '--format', 'html'], /--out \/: the output folder would be the root of the file system/],
    [['build', book, '--out', home], new RegExp(`--out ${home}: the output folder would be your home folder`)],
    [['build', book, '--out', book], new RegExp(`--out ${book}: the output folder would be the manuscript folder itself`)],
    [['build', book, '--out', parent], new RegExp(`--out ${parent}: the output folder would be a folder that holds the manuscript`)],
    [['check', book, '--cache-dir', home], new RegExp(`--cache-dir ${home}: the cache folder would be your home folder`)],
    [['preview', book, '--out', book, '--port', '0'], new RegExp(`--out ${book}: the output folder would be the manuscript folder itself`)],
  ]
  const results = await Promise.all(cases.map(([args]) => run(args, env, parent)))
  for (const [index, [args, message]] of cases.entries()) {
    assert.equal(results[index]!.code, 2, `${args.join(' ')}: ${results[index]!.stderr}`)
    assert.match(results[index]!.stderr, message)
    assert.match(results[index]!.stderr, /choose a new or empty folder beside the manuscript, such as/)
  }
  assert.deepEqual(await snapshot(parent), before, 'nothing written beside or in the manuscript')
  assert.deepEqual(await readdir(home), [], 'nothing written in the home folder')
  assert.deepEqual(rootNames.filter((name) => existsSync(path.join('/', name))), [], 'nothing written in /')
})

test('a build into an OUT another live build holds names the lock and writes nothing; a dead build’s lock is taken over', async () => {
  const { book, out } = await workspace()
  const args = ['build', book, '--out', out, '--format', 'html']
  // A live holder that is not a build: the lock is what is tested, not the race to take it.
  const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)'], { stdio: 'ignore' })
  try {
    await mkdir(out, { recursive: true })
    await writeFile(path.join(out, '.quire.lock'), `${holder.pid}\n`)
    const locked = await cli(args)
    assert.equal(locked.code, 1, locked.stderr)
    assert.match(locked.stderr, new RegExp(`another quire build \\(pid ${holder.pid}\\) is writing ${out}; wait for it or remove ${out}/\\.quire\\.lock if no build is running`))
    assert.doesNotMatch(locked.stderr, /quire: (load|render|write)/, 'the locked-out build did nothing')
    assert.deepEqual((await readdir(out)).sort(), ['.quire.lock'], 'nothing written')
  } finally {
    holder.kill('SIGKILL')
    await new Promise((resolve) => holder.once('exit', resolve))
  }
  const after = await cli(args)
  assert.equal(after.code, 0, after.stderr)
  assert.ok(!existsSync(path.join(out, '.quire.lock')), 'the lock is released')
  await assertManifestMatches(out)
})

/** Start the CLI with plain progress lines; `reached` resolves when stderr matches, `done` on exit. */
function start(args: string[]) {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/quire.js'), ...args], { env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  const waiting: { pattern: RegExp; resolve: () => void }[] = []
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk
    for (const entry of waiting.filter(({ pattern }) => pattern.test(stderr))) {
      waiting.splice(waiting.indexOf(entry), 1)
      entry.resolve()
    }
  })
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })))
  return {
    pid: child.pid!,
    child,
    done,
    reached: (pattern: RegExp) => new Promise<void>((resolve, reject) => {
      if (pattern.test(stderr)) return resolve()
      waiting.push({ pattern, resolve })
      done.then(({ stderr: text }) => (pattern.test(text) ? resolve() : reject(new Error(`the build ended before ${pattern}:\n${text}`))))
    }),
  }
}

test('a build killed while rendering leaves the previous editions as they were; the next build clears what it left', { timeout: 240_000 }, async () => {
  const { book, out } = await workspace()
  const first = await cli(['build', book, '--out', out, '--format', 'html,epub,pdf'])
  assert.equal(first.code, 0, first.stderr)
  const editions = (name: string) => name === '.cache' || name.startsWith('.quire-staging-') || name === '.quire.lock'
  const previous = await snapshot(out, editions)
  await writeFile(path.join(book, '02-two.md'), '---\ntitle: Two\n---\nThe second chapter, rewritten.\n')

  // The EPUB is done when the PDF starts rendering: kill the build there.
  const killed = start(['build', book, '--out', out, '--format', 'html,epub,pdf'])
  await killed.reached(/^quire: render pdf$/m)
  killed.child.kill('SIGKILL')
  const { signal, stderr } = await killed.done
  assert.equal(signal, 'SIGKILL', `killed while rendering the PDF:\n${stderr}`)
  assert.match(stderr, /^quire: write .*\.epub/m, 'the EPUB was finished before the kill')
  assert.deepEqual(await snapshot(out, editions), previous, 'the previous html, EPUB and PDF are byte for byte as they were')

  const next = await cli(['build', book, '--out', out, '--format', 'html,epub'])
  assert.equal(next.code, 0, next.stderr)
  assert.deepEqual((await readdir(out)).filter((name) => name.startsWith('.quire-staging-') || name.startsWith('.quire.lock')), [], 'the killed build\'s staging folder and lock are gone')
  assert.match(await readFile(path.join(out, 'html/02-two.html'), 'utf8'), /rewritten/)
  await assertManifestMatches(out)
})
