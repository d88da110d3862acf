/**
 * The one writer of the editions in the output folder (the renderers and the
 * cache keep their working files under `OUT/.cache`). A build stages every edition whole
 * in `OUT/.quire-staging-<pid>/` (laid out as OUT is, on the same disk),
 * and only when every renderer has finished does it publish them together:
 * each file is renamed into place, in one short step at the end. So a build
 * that fails or is killed while rendering leaves the last good editions as
 * they were, and never a new EPUB beside an old web edition.
 *
 * `OUT/.quire-manifest.json` records what Quire wrote (each edition's files
 * with their SHA-256). A build replaces or removes only files recorded
 * there: anything else in OUT (the author's `html/notes.txt`) stays, and a
 * file of someone else's where Quire must write stops the build, named.
 * Before the renames the manifest records the files about to be published
 * too, so a build killed in the middle of them (a window of milliseconds:
 * some files new, some old) leaves files the next build knows as its own;
 * that build then puts the whole set right.
 */
import { createHash } from 'node:crypto'
import { copyFile, lstat, mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Artifact } from '../render/types.ts'
import { writeFileAtomic } from '../files/atomic.ts'
import { alive, LOCK_NAME } from './lock.ts'

/** The record of what Quire wrote, inside the output folder. */
export const MANIFEST_NAME = '.quire-manifest.json'
const STAGING_PREFIX = '.quire-staging-'
const CACHE_NAME = '.cache'
/** What a build killed at the wrong moment may leave in OUT, each named with its process's pid. */
const LEFTOVER = /^(?:\.quire-staging-|\.quire\.lock\.(?:stale-)?|\.\.quire-manifest\.json\.tmp-)(\d+)(?:-\d+)?$/

/** Files by path relative to OUT ('/'-separated) → SHA-256. */
type Files = Map<string, string>

interface Manifest {
  /** Files by format (`html`, `epub`, `pdf`). */
  editions: Map<string, Files>
  /** Files a build was renaming into place when it stopped. */
  publishing: Files
  /**
   * OUT was written by a Quire from before manifests, which kept nothing but
   * its own files in html/ from one build to the next: until a format is
   * built and recorded, its files at the paths Quire writes are taken as
   * Quire's. Kept while some format has no record yet.
   */
  legacy: boolean
}

/** A build's editions, staged and not yet published. */
export interface Staging {
  /**
   * Stage one artifact of `format`. Returns where it will be published and
   * where it lies meanwhile (the web edition copies a staged EPUB from there).
   */
  add(format: string, artifact: Artifact): Promise<{ target: string; staged: string }>
  /**
   * Check that every file may be written, rename them all into place, remove
   * the files of the rebuilt formats this build no longer makes, and record
   * the new set in the manifest.
   */
  publish(): Promise<void>
  /** Remove the staging folder (after `publish`, or instead of it). */
  discard(): Promise<void>
}

/**
 * Prepare to stage a build's editions in `out`, whose lock the caller holds.
 * Called before the build writes anything there (its cache included): what
 * OUT holds now is what Quire's record is checked against. Writes nothing
 * until the first `add`, which also clears what killed builds left.
 */
export async function openStaging(out: string, formats: readonly string[]): Promise<Staging> {
  const manifest = await readManifest(out)
  const dir = path.join(out, `${STAGING_PREFIX}${process.pid}`)
  let opened: Promise<void> | undefined
  const open = () =>
    (opened ??= (async () => {
      await removeLeftovers(out)
      await rm(dir, { recursive: true, force: true })
      await mkdir(dir, { recursive: true })
    })())
  const editions = new Map<string, Files>()
  const staged = new Map<string, string>()

  const stage = async (format: string, relative: string, write: (file: string) => Promise<Uint8Array>) => {
    await open()
    const name = safeRelative(relative)
    if (name === undefined) throw new Error(`Refusing to write ${relative}: not a plain path inside the output folder`)
    if (staged.has(name)) throw new Error(`Two files of this build would be written to ${name}`)
    const file = path.join(dir, ...name.split('/'))
    await mkdir(path.dirname(file), { recursive: true })
    const bytes = await write(file)
    let files = editions.get(format)
    if (!files) editions.set(format, (files = new Map()))
    files.set(name, sha256(bytes))
    staged.set(name, file)
    return file
  }

  return {
    async add(format, artifact) {
      if (artifact.kind === 'file') {
        const file = await stage(format, artifact.path, async (target) => {
          await writeFile(target, artifact.content)
          return artifact.content
        })
        return { target: path.join(out, artifact.path), staged: file }
      }
      for (const entry of artifact.files) {
        await stage(format, `${artifact.path}/${entry.path}`, async (target) => {
          if ('content' in entry) {
            await writeFile(target, entry.content)
            return typeof entry.content === 'string' ? Buffer.from(entry.content) : entry.content
          }
          await copyFile(entry.copyFrom, target)
          return readFile(target)
        })
      }
      return { target: path.join(out, artifact.path), staged: path.join(dir, artifact.path) }
    },

    async publish() {
      const owned = new Set([...[...manifest.editions.values()].flatMap((files) => [...files.keys()]), ...manifest.publishing.keys()])
      const fresh: Files = new Map([...editions.values()].flatMap((files) => [...files]))

      const problems: string[] = []
      for (const [format, files] of editions) {
        const adopted = manifest.legacy && !manifest.editions.has(format)
        for (const [name, hash] of files) {
          const problem = await occupied(out, name, hash, owned.has(name) || adopted)
          if (problem) problems.push(problem)
        }
      }
      if (problems.length > 0) {
        const more = problems.length > 3 ? `; and ${problems.length - 3} more` : ''
        throw new Error(
          `Nothing was published in ${out}: ${problems.slice(0, 3).join('; ')}${more}. Quire replaces only the files it wrote there (recorded in ${MANIFEST_NAME}): move these out of the way, or build into another folder with --out`,
        )
      }

      const next = new Map(manifest.editions)
      for (const [format, files] of editions) next.set(format, files)
      const kept = new Set([...next.values()].flatMap((files) => [...files.keys()]))
      // What the last build of a rebuilt format wrote and this one does not (an old slug's EPUB, a removed chapter's page).
      const stale = new Map<string, Set<string>>()
      const mark = (files: Files) => {
        for (const [name, hash] of files) if (!kept.has(name)) stale.set(name, (stale.get(name) ?? new Set()).add(hash))
      }
      for (const format of editions.keys()) mark(manifest.editions.get(format) ?? new Map())
      mark(manifest.publishing)

      // Recorded before the first rename, so that a build killed among them leaves nothing unaccounted for.
      await writeManifest(out, { ...manifest, publishing: new Map([...manifest.publishing, ...fresh]) })
      for (const [name, file] of staged) {
        const target = path.join(out, ...name.split('/'))
        await mkdir(path.dirname(target), { recursive: true })
        await rename(file, target)
      }
      for (const [name, hashes] of stale) await removeStale(out, name, hashes)
      await writeManifest(out, { editions: next, publishing: new Map(), legacy: manifest.legacy && formats.some((format) => !next.has(format)) })
    },

    async discard() {
      if (opened) await rm(dir, { recursive: true, force: true })
    },
  }
}

/** Why `name` cannot be published in `out`, or undefined when it can. */
async function occupied(out: string, name: string, hash: string, owned: boolean): Promise<string | undefined> {
  const folders = await realFolders(out, name)
  if (folders) return folders
  const target = path.join(out, ...name.split('/'))
  const stats = await lstat(target).catch(() => undefined)
  if (stats?.isDirectory()) return `${target} is a folder where Quire writes a file`
  if (!stats || owned) return undefined
  // Someone else's file with the very bytes Quire writes: replacing it loses nothing.
  if (stats.isFile() && sha256(await readFile(target)) === hash) return undefined
  return `${target} was not written by Quire`
}

/** Why the folders on the way to `name` are not plain folders inside `out`, or undefined. */
async function realFolders(out: string, name: string): Promise<string | undefined> {
  const parts = name.split('/').slice(0, -1)
  for (let depth = 1; depth <= parts.length; depth++) {
    const folder = path.join(out, ...parts.slice(0, depth))
    const stats = await lstat(folder).catch(() => undefined)
    if (!stats) return undefined
    // Through a link, a rename would land outside the output folder.
    if (stats.isSymbolicLink()) return `${folder} is a symbolic link (Quire writes only into real folders inside the output folder)`
    if (!stats.isDirectory()) return `${folder} is a file where Quire needs a folder`
  }
  return undefined
}

/** Remove a file the last build wrote, if it is still what Quire wrote, and the folders it leaves empty. */
async function removeStale(out: string, name: string, hashes: Set<string>): Promise<void> {
  if (await realFolders(out, name)) return
  const target = path.join(out, ...name.split('/'))
  const stats = await lstat(target).catch(() => undefined)
  // Changed since Quire wrote it: the change is someone's, and stays.
  if (!stats?.isFile() || !hashes.has(sha256(await readFile(target)))) return
  await rm(target, { force: true })
  for (let folder = path.dirname(target); folder !== out && folder.startsWith(out + path.sep); folder = path.dirname(folder)) {
    // rmdir removes only an empty folder: one holding anyone's file stays.
    if (!(await rmdir(folder).then(() => true, () => false))) break
  }
}

/** Remove the staging folders, lock drafts and manifest drafts of builds whose process is gone. */
async function removeLeftovers(out: string): Promise<void> {
  for (const name of await readdir(out).catch(() => [] as string[])) {
    const pid = Number(LEFTOVER.exec(name)?.[1])
    if (!pid || pid === process.pid || alive(pid)) continue
    await rm(path.join(out, name), { recursive: true, force: true })
  }
}

async function readManifest(out: string): Promise<Manifest> {
  let text: string
  try {
    text = await readFile(path.join(out, MANIFEST_NAME), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    // No manifest but a cache: written by a Quire from before manifests.
    return { editions: new Map(), publishing: new Map(), legacy: await lstat(path.join(out, CACHE_NAME)).then((stats) => stats.isDirectory(), () => false) }
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    // A damaged record vouches for nothing: every file is then someone else's until proven identical.
    return { editions: new Map(), publishing: new Map(), legacy: false }
  }
  const record = isObject(data) ? data : {}
  const editions = new Map<string, Files>()
  if (isObject(record.editions)) for (const [format, files] of Object.entries(record.editions)) editions.set(format, readFiles(files))
  return { editions, publishing: readFiles(record.publishing), legacy: record.legacy === true }
}

/** The entries of a manifest's file list that are plain paths inside OUT with a SHA-256: it is read, not trusted. */
function readFiles(value: unknown): Files {
  const files: Files = new Map()
  if (!isObject(value)) return files
  for (const [name, hash] of Object.entries(value)) {
    const safe = safeRelative(name)
    if (safe !== undefined && typeof hash === 'string' && /^[0-9a-f]{64}$/.test(hash)) files.set(safe, hash)
  }
  return files
}

async function writeManifest(out: string, manifest: Manifest): Promise<void> {
  const sorted = (files: Files) => Object.fromEntries([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  const record = {
    about: 'The files Quire wrote in this folder. A build replaces or removes only these; delete this file and Quire treats every file here as someone else\'s.',
    editions: Object.fromEntries([...manifest.editions].sort(([a], [b]) => (a < b ? -1 : 1)).map(([format, files]) => [format, sorted(files)])),
    ...(manifest.publishing.size > 0 ? { publishing: sorted(manifest.publishing) } : {}),
    ...(manifest.legacy ? { legacy: true } : {}),
  }
  await writeFileAtomic(path.join(out, MANIFEST_NAME), JSON.stringify(record, null, 2) + '\n')
}

/**
 * `relative` as a '/'-separated path inside OUT, or undefined when it climbs
 * out, is absolute, or names what is not an edition's (the cache, the
 * manifest, the lock, a staging folder).
 */
function safeRelative(relative: string): string | undefined {
  if (relative.includes('\0') || relative.includes('\\') || relative.startsWith('/')) return undefined
  const parts = path.posix.normalize(relative).split('/')
  if (parts.some((part) => part === '' || part === '.' || part === '..')) return undefined
  const first = parts[0]!
  if (first === CACHE_NAME || first === MANIFEST_NAME || first.startsWith(LOCK_NAME) || first.startsWith(STAGING_PREFIX)) return undefined
  return parts.join('/')
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}
