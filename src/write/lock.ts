/**
 * One build at a time in an output folder: `OUT/.quire.lock` holds the pid
 * of the build writing there. It is created whole (written beside, then
 * hard-linked into place, which fails if it exists), so no one reads half of
 * it. A lock whose process is gone (a build killed with SIGKILL, a machine
 * that went down) is taken over, as the cache treats its dead writers.
 */
import { link, mkdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises'
import path from 'node:path'

/** The lock's name inside the output folder. */
export const LOCK_NAME = '.quire.lock'

/** Another build holds the lock (the CLI exits 1 with this message). */
export class FolderLockedError extends Error {
  override name = 'FolderLockedError'
}

let drafts = 0

/** Take the lock on `dir` (creating the folder); resolves to the function that releases it. */
export async function lockFolder(dir: string): Promise<() => Promise<void>> {
  // The first folder made, if any: a build that wrote nothing (the manuscript was not found) leaves none behind.
  const made = await mkdir(dir, { recursive: true })
  const lock = path.join(dir, LOCK_NAME)
  const mine = `${process.pid}\n`
  // Named for this process and call: two builds of one process (a preview's downloads) never share it.
  const draft = `${lock}.${process.pid}-${++drafts}`
  await writeFile(draft, mine)
  try {
    // A few rounds: each either takes the lock, meets a live holder, or clears a dead one.
    for (let round = 0; round < 5; round++) {
      try {
        await link(draft, lock)
        return async () => {
          // Only our own: after a takeover (this process stopped and resumed) the lock is someone else's.
          if ((await readFile(lock, 'utf8').catch(() => '')) === mine) await rm(lock, { force: true })
          if (made) await removeEmpty(dir, made)
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      }
      const holder = await readHolder(lock)
      if (holder === 'gone') continue
      if (holder === undefined) throw new FolderLockedError(`${lock} names no process: remove it if no quire build is running, then build again`)
      if (alive(holder)) throw new FolderLockedError(`another quire build (pid ${holder}) is writing ${dir}; wait for it or remove ${lock} if no build is running`)
      await clearStale(lock, holder)
    }
    throw new FolderLockedError(`could not take ${lock}: builds keep starting in ${dir}; wait for them and build again`)
  } finally {
    await rm(draft, { force: true })
  }
}

/** Remove `dir` and its parents up to `top` while they are empty. */
async function removeEmpty(dir: string, top: string): Promise<void> {
  for (let folder = dir; folder.length >= top.length; folder = path.dirname(folder)) {
    if (!(await rmdir(folder).then(() => true, () => false))) return
  }
}

/** The pid in the lock, 'gone' when the lock vanished meanwhile, undefined when it holds no pid. */
async function readHolder(lock: string): Promise<number | 'gone' | undefined> {
  let text: string
  try {
    text = await readFile(lock, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone'
    throw error
  }
  const pid = Number(/^\s*(\d+)\s*$/.exec(text)?.[1])
  // 0 would name the process group to process.kill.
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined
}

/**
 * Remove a lock whose holder is dead, without removing one a third build
 * took meanwhile: move it aside, and put it back if it is not the dead one.
 */
async function clearStale(lock: string, dead: number): Promise<void> {
  const aside = `${lock}.stale-${process.pid}`
  try {
    await rename(lock, aside)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  const moved = await readHolder(aside)
  if (moved !== dead) await link(aside, lock).catch(() => undefined)
  await rm(aside, { force: true })
}

/** Whether process `pid` exists (this process included), as far as this machine can tell. */
export function alive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists under another user.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH'
  }
}
