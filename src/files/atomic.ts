/**
 * Atomic file writes: a file beside the target, then a rename. The editions
 * are published by `publish.ts`; this serves the cache, the manifest and
 * `check --fix`.
 */
import { chmod, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'

/**
 * Write `content` to `target` through a file beside it and a rename, so
 * readers see the old file or the new one, never half of one. `mode` keeps
 * the permissions of the file replaced.
 */
export async function writeFileAtomic(target: string, content: string | Uint8Array, mode?: number): Promise<void> {
  const staging = path.join(path.dirname(target), `.${path.basename(target)}.tmp-${process.pid}-${Date.now()}`)
  try {
    await writeFile(staging, content, { flag: 'wx' })
    if (mode !== undefined) await chmod(staging, mode)
    await rename(staging, target)
  } catch (error) {
    await rm(staging, { force: true })
    throw error
  }
}
