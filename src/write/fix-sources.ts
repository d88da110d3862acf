/**
 * The one writer of the manuscript: `check --fix` rewrites chapter files
 * with their fixes applied. Each file is written atomically, keeps its bytes
 * outside the fixed spans (encoding, byte order mark and line endings included), and
 * its original is kept beside it as FILE.orig (FILE.orig.2 … if that name
 * is taken: an earlier original is never overwritten).
 */
import { constants } from 'node:fs'
import { copyFile, readFile, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import type { VFile } from 'vfile'
import { applyFixes, planFixes, type PlannedFix } from '../checks/fix.ts'
import { writeFileAtomic } from '../files/atomic.ts'
import { decodeText, encodeText } from '../text/encoding.ts'

export interface FixedFile {
  path: string
  fixes: PlannedFix[]
  /** Where the original was kept, unless backups were turned off. */
  backup?: string
  /** Why the file was left as it was. */
  skipped?: string
}

export interface FixOptions {
  /** Keep each file's original as FILE.orig (default: true). */
  backup?: boolean
  /** Files already backed up in this run (absolute paths): a later pass keeps the first original only. */
  backedUp?: Set<string>
}

/** Apply the planned fixes of every file in `files` that has some. */
export async function fixSources(files: VFile[], options: FixOptions = {}): Promise<FixedFile[]> {
  const done: FixedFile[] = []
  for (const file of files) {
    const fixes = planFixes(file)
    if (fixes.length === 0) continue
    const absolute = await realpath(path.resolve(file.cwd, file.path))
    const shown = file.path
    const bytes = await readFile(absolute)
    // Read as the chapter was read, and written back in its own encoding (UTF-16 stays UTF-16).
    const decoded = decodeText(bytes)
    // Offsets are into the text as checked; any other bytes would not survive a round trip.
    if (!decoded.ok || !encodeText(decoded.text, decoded.encoding).equals(bytes)) {
      done.push({ path: shown, fixes: [], skipped: 'it is neither valid UTF-8 nor UTF-16, so it cannot be rewritten byte for byte' })
      continue
    }
    if (decoded.text !== String(file.value)) {
      done.push({ path: shown, fixes: [], skipped: 'it changed while it was being checked; run the fix again' })
      continue
    }
    const fixed = encodeText(applyFixes(String(file.value), fixes), decoded.encoding)
    const entry: FixedFile = { path: shown, fixes }
    if (options.backup !== false && !options.backedUp?.has(absolute)) {
      entry.backup = await keepOriginal(absolute)
      options.backedUp?.add(absolute)
    }
    await writeFileAtomic(absolute, fixed, (await stat(absolute)).mode & 0o7777)
    done.push(entry)
  }
  return done
}

/** Copy `absolute` to the first free name of FILE.orig, FILE.orig.2 …; returns that name. */
async function keepOriginal(absolute: string): Promise<string> {
  for (let n = 1; ; n++) {
    const backup = n === 1 ? `${absolute}.orig` : `${absolute}.orig.${n}`
    try {
      await copyFile(absolute, backup, constants.COPYFILE_EXCL)
      return backup
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
}

/** What `check --fix` changed, one line per fix, then a summary. */
export function describeFixes(fixed: FixedFile[], cwd: string): string {
  const lines: string[] = []
  let count = 0
  for (const entry of fixed) {
    if (entry.skipped) {
      lines.push(`${entry.path}: not fixed: ${entry.skipped}`)
      continue
    }
    for (const fix of entry.fixes) lines.push(`${entry.path}:${fix.line}:${fix.column}: fixed ${fix.ruleId}: ${fix.description}`)
    count += entry.fixes.length
    if (entry.backup) lines.push(`${entry.path}: original kept as ${path.relative(cwd, entry.backup)}`)
  }
  const files = new Set(fixed.filter((entry) => entry.fixes.length > 0).map((entry) => entry.path)).size
  lines.push(count === 0 ? 'quire: nothing to fix' : `quire: fixed ${count} problem${count === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}`)
  return lines.join('\n') + '\n'
}
