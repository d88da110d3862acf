/**
 * The one writer of the output folder. Every edition is written beside its
 * destination and moved into place with a rename, so a failed or interrupted
 * build never leaves a half-written edition and never removes the last good one.
 */
import { chmod, copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Artifact } from '../render/types.ts'

/** Write `artifact` into `outDir` atomically; returns the path written. */
export async function writeArtifact(outDir: string, artifact: Artifact): Promise<string> {
  await mkdir(outDir, { recursive: true })
  const target = path.join(outDir, artifact.path)
  const staging = path.join(outDir, `.${path.basename(artifact.path)}.tmp-${process.pid}-${Date.now()}`)
  try {
    if (artifact.kind === 'file') {
      await writeFile(staging, artifact.content)
      await rename(staging, target)
      return target
    }
    for (const file of artifact.files) {
      const destination = path.join(staging, file.path)
      if (!destination.startsWith(staging + path.sep)) throw new Error(`Refusing to write ${file.path} outside ${artifact.path}/`)
      await mkdir(path.dirname(destination), { recursive: true })
      if ('copyFrom' in file) await copyFile(file.copyFrom, destination)
      else await writeFile(destination, file.content)
    }
    // Swap folders: the old edition is only removed once the new one is in place.
    const previous = `${staging}-old`
    const hadPrevious = await rename(target, previous).then(() => true, (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false
      throw error
    })
    await rename(staging, target)
    if (hadPrevious) await rm(previous, { recursive: true, force: true })
    return target
  } catch (error) {
    await rm(staging, { recursive: true, force: true })
    throw error
  }
}

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
