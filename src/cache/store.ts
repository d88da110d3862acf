/**
 * A content-addressed cache on disk (`build/.cache/<kind>/`): an entry's
 * name is the SHA-256 of everything its value depends on, so a changed
 * input simply misses. Entries are never trusted: each holds its own key
 * and a digest of its payload, and one that fails either test (a torn
 * write, a disk error, someone's edit, an older format) is ignored and
 * rewritten. Writes go through a rename, so readers never see half of one.
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { mkdir, readdir, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { deserialize, serialize } from 'node:v8'
import { PACKAGE_ROOT, QUIRE_VERSION } from '../files/paths.ts'
import { writeFileAtomic } from '../files/atomic.ts'

const MAGIC = Buffer.from('QUIRE-CACHE-1\n')
const ENTRY_NAME = /^[0-9a-f]{64}$/
/** A staging file of `writeFileAtomic`, named with the writing process's pid. */
const STAGING_NAME = /^\.[0-9a-f]{64}\.tmp-(\d+)-\d+$/
const DIGEST = 32

export interface CacheStore {
  /** The value stored under `key`, or undefined when absent or not to be trusted. */
  get<T>(kind: string, key: string): Promise<T | undefined>
  /** Store `value` (anything structured clone can copy). A failed write only costs the next build time. */
  set(kind: string, key: string, value: unknown): Promise<void>
  /** Remove the entries of `kind` not read or written through this store since it was opened. */
  prune(kind: string): Promise<void>
  /** Entries found but not trusted (the tests read it). */
  readonly rejected: string[]
}

/** A key from the parts a value depends on; Quire's own code is always one of them. */
export function cacheKey(...parts: (string | Uint8Array)[]): string {
  const hash = createHash('sha256').update(quireDigest())
  for (const part of parts) {
    // Length-prefixed, so ("ab", "c") and ("a", "bc") differ. A string is hashed as it is, not copied
    // into a buffer first: a chapter's tree as JSON is megabytes.
    if (typeof part === 'string') hash.update(`${Buffer.byteLength(part)}:`).update(part, 'utf8')
    else hash.update(`${part.byteLength}:`).update(part)
  }
  return hash.digest('hex')
}

/** Open the cache under `dir`; with `dir` undefined, a store that keeps nothing. */
export function openCache(dir: string | undefined): CacheStore {
  const used = new Map<string, Set<string>>()
  const rejected: string[] = []
  const touch = (kind: string, key: string) => {
    let keys = used.get(kind)
    if (!keys) used.set(kind, (keys = new Set()))
    keys.add(key)
  }
  if (!dir) {
    return { async get() { return undefined }, async set() {}, async prune() {}, rejected }
  }
  const where = (kind: string, key: string) => path.join(dir, kind, key)
  return {
    rejected,
    async get<T>(kind: string, key: string) {
      touch(kind, key)
      let bytes: Buffer
      try {
        bytes = await readFile(where(kind, key))
      } catch {
        return undefined
      }
      const value = decode(bytes, key)
      if (value === undefined) rejected.push(path.join(kind, key))
      return value as T | undefined
    },
    async set(kind, key, value) {
      touch(kind, key)
      try {
        const payload = serialize({ key, value })
        const digest = createHash('sha256').update(payload).digest()
        await mkdir(path.join(dir, kind), { recursive: true })
        await writeFileAtomic(where(kind, key), Buffer.concat([MAGIC, digest, payload]))
      } catch {
        // A read-only or full disk, or a value too deep to copy, makes the cache useless, not the build wrong.
      }
    },
    async prune(kind) {
      const keep = used.get(kind) ?? new Set()
      const names = await readdir(path.join(dir, kind)).catch(() => [] as string[])
      // Only entries, and staging files left by a process that died before renaming them:
      // a live process's staging file, or a file of another name, is left alone.
      const stale = names.filter((name) => (ENTRY_NAME.test(name) && !keep.has(name)) || orphaned(name))
      await Promise.all(stale.map((name) => rm(path.join(dir, kind, name), { force: true }).catch(() => undefined)))
    },
  }
}

function orphaned(name: string): boolean {
  const pid = STAGING_NAME.exec(name)?.[1]
  if (pid === undefined || Number(pid) === process.pid) return false
  try {
    process.kill(Number(pid), 0)
    return false
  } catch (error) {
    // EPERM: the process exists under another user. A cache shared with another machine could see its live
    // writer as gone: the write then fails, which costs that process a cache entry, never a wrong build.
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

function decode(bytes: Buffer, key: string): unknown {
  if (bytes.length < MAGIC.length + DIGEST || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined
  const digest = bytes.subarray(MAGIC.length, MAGIC.length + DIGEST)
  const payload = bytes.subarray(MAGIC.length + DIGEST)
  if (!createHash('sha256').update(payload).digest().equals(digest)) return undefined
  try {
    const entry = deserialize(payload) as { key?: unknown; value?: unknown }
    return entry && entry.key === key ? entry.value : undefined
  } catch {
    return undefined
  }
}

let digest: string | undefined

/**
 * Quire's version and a digest of its own sources, so that a cache written by
 * other code (an upgrade, a local change) is never read as this code's.
 */
function quireDigest(): string {
  if (digest) return digest
  const hash = createHash('sha256').update(QUIRE_VERSION)
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name)
      try {
        if (statSync(full).isDirectory()) walk(full)
        else hash.update(path.relative(PACKAGE_ROOT, full)).update(readFileSync(full))
      } catch {
        // An editor's lock file (a dangling symlink) is not Quire's code.
      }
    }
  }
  walk(path.join(PACKAGE_ROOT, 'src'))
  // The dependencies' versions too (remark, citeproc …): the lock file when there is one.
  try {
    hash.update(readFileSync(path.join(PACKAGE_ROOT, 'package-lock.json')))
  } catch {
    hash.update(readFileSync(path.join(PACKAGE_ROOT, 'package.json')))
  }
  return (digest = hash.digest('hex'))
}
