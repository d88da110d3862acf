/**
 * Which folders Quire may write into. The output folder (and a cache folder
 * given on its own) must be a folder of Quire's: not the root, not the home
 * folder or one that holds it, not the manuscript folder, and not a folder
 * that holds the manuscript. Symbolic links are resolved first, so a link
 * to `/` is `/`. A folder *inside* the manuscript is allowed (`chapters/build`):
 * the manuscript is read from its own folder's files only (chapters, book.yaml)
 * and from the paths it names, so what Quire writes there is never read back
 * as manuscript unless the author points at it.
 */
import { realpath } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { isInside } from '../manuscript/inside.ts'

/** A folder Quire refuses to write into: a usage error (the CLI exits 2). */
export class FolderRefusedError extends Error {
  override name = 'FolderRefusedError'
}

/** How a refusal names the folder: `output folder`, `--out`, and the folder to suggest beside the manuscript (`build`). */
export interface FolderRole {
  role: string
  option: string
  suggestion: string
}

/** Throw a {@link FolderRefusedError} when `folder` is not safe to write into for a build of `manuscript`. */
export async function assertSafeFolder(folder: string, manuscript: string, { role, option, suggestion }: FolderRole): Promise<void> {
  const real = await resolveReal(folder)
  const book = await resolveReal(manuscript)
  const home = await resolveReal(os.homedir())
  const refuse = (what: string) =>
    new FolderRefusedError(`${option} ${folder}: the ${role} would be ${what}. Quire writes into a folder of its own and needs one: choose a new or empty folder beside the manuscript, such as ${option} ${path.join(path.dirname(book), suggestion)}`)
  if (path.parse(real).root === real) throw refuse('the root of the file system')
  if (real === home) throw refuse('your home folder')
  if (isInside(real, home)) throw refuse(`a folder that holds your home folder (${home})`)
  if (real === book) throw refuse('the manuscript folder itself')
  if (isInside(real, book)) throw refuse(`a folder that holds the manuscript (${book})`)
}

/** `target` with symbolic links resolved, also when its last parts do not exist yet. */
async function resolveReal(target: string): Promise<string> {
  const absolute = path.resolve(target)
  const rest: string[] = []
  let current = absolute
  for (;;) {
    try {
      return path.join(await realpath(current), ...rest.reverse())
    } catch {
      const parent = path.dirname(current)
      if (parent === current) return absolute
      rest.push(path.basename(current))
      current = parent
    }
  }
}
