/**
 * What `quire preview` watches, and how it knows a rebuild read the files
 * as they are now.
 *
 * Every folder of the manuscript (and of Quire's styles) has a watch of its
 * own, not recursive. A folder's watch names the entry that changed, however
 * it changed: written in place, replaced by a rename (how `sed -i`, vim and
 * many editors save), copied over, created or removed. A watch on a file
 * follows the file's inode instead, so after one save by rename it watches
 * the old, deleted file and misses every later edit; that is how Node 20's
 * recursive watch works on Linux (a watch per file, and a folder event that
 * names nothing it already knows), and why it is not used here.
 *
 * Folders are found by walking the trees, which the preview does before
 * each rebuild (watching a new folder before reading it) and after it, so a
 * folder created meanwhile is watched before its files are read. The walk
 * also records each file's state: inode, size, modification and change
 * times, and for a file modified in the last seconds (when a second write
 * may leave all of those unchanged: the file system's clock is coarse) a
 * digest of its content. If the state after a rebuild differs from the
 * state before it, something changed while the rebuild was reading, and the
 * preview rebuilds again; so an edit is never lost to a missed or early
 * event, and a half-written file is never what stays served.
 */
import { createHash } from 'node:crypto'
import { watch, type FSWatcher } from 'node:fs'
import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'

/** A file's inode, size, times and kind; and for a recently modified file, a digest of its content. */
export interface FileState {
  stat: string
  digest?: string
}

/** Each file's state, by path. */
export type TreeState = Map<string, FileState>

export interface TreeWatch {
  /**
   * Walk the trees: watch each folder not yet watched (before reading it),
   * stop watching those gone, and return the state of every file. Given the
   * state `before` a rebuild, a file whose stat has not changed since and
   * that had a digest then is digested again, so the two states compare.
   */
  scan(before?: TreeState): Promise<TreeState>
  /** Stop watching. */
  close(): void
}

/**
 * How recently a file must have been modified for its stat to be no proof
 * that it is unchanged: more than the coarsest timestamps of a local file
 * system (2 s on FAT; a few ms on ext4).
 */
export const RECENT_MS = 3000

/** Folders that hold no part of a book, only tools' churn. */
const PASSED_OVER = new Set(['.git', 'node_modules'])

export interface TreeWatchOptions {
  /** Called on every change reported inside the trees (not debounced). */
  onChange: () => void
  /** A path whose changes are not edits (the output folder): neither watched nor recorded. */
  skip: (full: string) => boolean
  /** A folder that could not be watched, or whose watch failed. */
  onError: (dir: string, error: Error) => void
}

export function watchTrees(roots: string[], options: TreeWatchOptions): TreeWatch {
  const watchers = new Map<string, { watcher: FSWatcher; ino: bigint }>()
  let closed = false

  const unwatch = (dir: string) => {
    watchers.get(dir)?.watcher.close()
    watchers.delete(dir)
  }

  /** Watch `dir` (its inode `ino`) unless it already is; a folder replaced by another of the same name is watched anew. */
  const ensureWatched = (dir: string, ino: bigint, root: boolean) => {
    const known = watchers.get(dir)
    if (known && known.ino === ino) return
    if (known) unwatch(dir)
    let watcher: FSWatcher
    try {
      watcher = watch(dir, (_event, name) => {
        if (name && options.skip(path.join(dir, name))) return
        options.onChange()
      })
    } catch (error) {
      // A root that cannot be watched is the caller's to report; a subfolder is said and passed over.
      if (root) throw error
      options.onError(dir, error as Error)
      return
    }
    watcher.on('error', (error) => {
      // Removed or unreadable: the next walk watches it again if it is back.
      if (watchers.get(dir)?.watcher === watcher) unwatch(dir)
      options.onError(dir, error)
      options.onChange()
    })
    watchers.set(dir, { watcher, ino })
  }

  const walk = async (dir: string, root: boolean, state: TreeState, seen: Set<string>, before: TreeState | undefined, now: number) => {
    let info
    try {
      info = await stat(dir, { bigint: true })
    } catch (error) {
      if (root) throw error
      return
    }
    if (!info.isDirectory()) {
      if (root) throw Object.assign(new Error(`${dir} is not a folder`), { code: 'ENOTDIR' })
      return
    }
    if (closed) return
    seen.add(dir)
    ensureWatched(dir, info.ino, root)
    let entries
    try {
      entries = await readdir(dir, { withFileTypes: true })
    } catch (error) {
      if (root) throw error
      return
    }
    await Promise.all(
      entries.map(async (entry) => {
        const full = path.join(dir, entry.name)
        if (options.skip(full)) return
        // Links are not followed into folders (nor are they by the build); a link to a file is recorded by its target.
        if (entry.isDirectory()) return PASSED_OVER.has(entry.name) ? undefined : walk(full, false, state, seen, before, now)
        state.set(full, await fileState(full, before?.get(full), now))
      }),
    )
  }

  return {
    async scan(before) {
      const state: TreeState = new Map()
      const seen = new Set<string>()
      const now = Date.now()
      for (const root of roots) await walk(root, true, state, seen, before, now)
      for (const dir of [...watchers.keys()]) if (!seen.has(dir)) unwatch(dir)
      return state
    },
    close() {
      closed = true
      for (const dir of [...watchers.keys()]) unwatch(dir)
    },
  }
}

/** Whether a file was added, removed or changed between two states. */
export function differs(before: TreeState, after: TreeState): boolean {
  if (before.size !== after.size) return true
  for (const [file, state] of after) {
    const earlier = before.get(file)
    if (!earlier || earlier.stat !== state.stat || earlier.digest !== state.digest) return true
  }
  return false
}

async function fileState(file: string, earlier: FileState | undefined, now: number): Promise<FileState> {
  let info
  try {
    info = await stat(file, { bigint: true })
  } catch {
    // Removed meanwhile, or a link to nothing.
    return { stat: 'missing' }
  }
  const state = `${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}:${info.isFile() ? 'f' : 'o'}`
  // Digested when recent (against a second write in the same clock tick), or when it was before and looks the same now.
  const recent = Number(info.mtimeMs) >= now - RECENT_MS
  if (!info.isFile() || (earlier ? earlier.stat !== state || earlier.digest === undefined : !recent)) return { stat: state }
  return { stat: state, digest: await digest(file) }
}

async function digest(file: string): Promise<string> {
  try {
    return createHash('sha1').update(await readFile(file)).digest('base64')
  } catch {
    return 'unreadable'
  }
}
