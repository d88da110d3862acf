/**
 * `quire init`: the starting book in `templates/book/` written into a
 * manuscript folder. It only creates files: a folder that already holds a
 * book (book.yaml, chapter files) or any file the template would write is
 * refused before anything is written, and a file is never replaced.
 */
import { randomUUID } from 'node:crypto'
import { lstat, mkdir, readdir, readFile, rm, rmdir, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { CONFIG_FILE } from '../config/load.ts'
import { PACKAGE_ROOT } from '../files/paths.ts'
import { listChapterFiles } from '../manuscript/chapter-files.ts'

/** The starting book as it ships: a real manuscript, with `{{uuid}}` and `{{year}}` in book.yaml. */
export const TEMPLATE_DIR = path.join(PACKAGE_ROOT, 'templates', 'book')

/** The folder named to `quire init` holds a book already, or a file the template would replace. */
export class InitRefusedError extends Error {}

export interface StartingBook {
  /** The manuscript folder, absolute. */
  dir: string
  /** `dir` as messages name it: relative to the working folder when inside it, with a final separator. */
  shown: string
  /** The files written, relative to `dir` with `/`, in the order written. */
  files: string[]
}

/**
 * Write the starting book into `dir` (created if missing, with its parents).
 * Throws InitRefusedError, having written nothing, when `dir` is a file or
 * holds a book.yaml, chapter files or any of the template's files.
 */
export async function writeStartingBook(dir: string, options: { cwd?: string; now?: Date } = {}): Promise<StartingBook> {
  const files = await templateFiles(TEMPLATE_DIR)
  const shown = showFolder(dir, options.cwd ?? process.cwd())
  await refuseIfTaken(dir, shown, files)
  const values: Record<string, string> = { uuid: randomUUID(), year: String((options.now ?? new Date()).getFullYear()) }
  const created: string[] = []
  const madeDirs = new Set<string>()
  try {
    for (const file of files) {
      const target = path.join(dir, ...file.split('/'))
      const parent = path.dirname(target)
      const made = await mkdir(parent, { recursive: true })
      // mkdir names the outermost folder it created: it and every folder down to `parent` are this init's.
      for (let folder = parent; made !== undefined; folder = path.dirname(folder)) {
        madeDirs.add(folder)
        if (folder === made || folder === path.dirname(folder)) break
      }
      const bytes = await readFile(path.join(TEMPLATE_DIR, ...file.split('/')))
      const content = file === CONFIG_FILE ? bytes.toString('utf8').replace(/\{\{(\w+)\}\}/g, (all, name: string) => values[name] ?? all) : bytes
      // `wx`: a file that appeared since the check is not replaced; the init stops and takes back what it wrote.
      await writeFile(target, content, { flag: 'wx' })
      created.push(target)
    }
  } catch (error) {
    // Nothing half-written is left for the next `quire init` to refuse: only what this one created goes.
    for (const target of created) await rm(target, { force: true })
    for (const folder of [...madeDirs].sort((a, b) => b.length - a.length)) await rmdir(folder).catch(() => undefined)
    throw new Error(`Could not write the starting book into ${dir}`, { cause: error })
  }
  return { dir, shown, files }
}

/** Every file under the template folder, relative with `/`, book.yaml first and the rest by name. */
async function templateFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch((error: unknown) => {
    throw new Error(`Quire's starting book is missing (${root}): reinstall Quire`, { cause: error })
  })
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath ?? entry.path, entry.name)).split(path.sep).join('/'))
    .sort((a, b) => Number(b === CONFIG_FILE) - Number(a === CONFIG_FILE) || a.localeCompare(b))
  if (!files.includes(CONFIG_FILE)) throw new Error(`Quire's starting book has no book.yaml (${root}): reinstall Quire`)
  return files
}

/** Throw InitRefusedError when `dir` cannot take the starting book without mixing with a book or replacing a file. */
async function refuseIfTaken(dir: string, shown: string, files: string[]): Promise<void> {
  const kind = await stat(dir).then((stats) => (stats.isDirectory() ? 'folder' : 'other'), () => 'none')
  if (kind === 'none') return
  if (kind === 'other') throw new InitRefusedError(`${shown.slice(0, -1)} is not a folder: name a new folder for the book, such as \`quire init my-book\``)
  const book: string[] = []
  if (await exists(path.join(dir, CONFIG_FILE))) book.push(CONFIG_FILE)
  const listing = await listChapterFiles(dir)
  book.push(...listing.chapters.map((chapter) => chapter.source), ...listing.misnamed.map((file) => file.name))
  if (book.length > 0) {
    throw new InitRefusedError(
      `${shown} already holds a book (${summarize(book)}): \`quire init\` starts a book only in a new folder or one without book.yaml and chapters. Name another folder, such as \`quire init my-book\``,
    )
  }
  const taken: string[] = []
  for (const file of files) {
    if (await exists(path.join(dir, ...file.split('/')))) taken.push(file)
  }
  if (taken.length > 0) {
    throw new InitRefusedError(`${shown} already has ${summarize(taken)}, which \`quire init\` would replace: it never does. Move ${taken.length === 1 ? 'it' : 'them'} away, or name another folder`)
  }
}

/** Whether anything is at `target`, or something other than a folder is where a folder of its path should be. */
async function exists(target: string): Promise<boolean> {
  return lstat(target).then(
    () => true,
    (error: NodeJS.ErrnoException) => error.code !== 'ENOENT',
  )
}

/** Names the folder in messages: relative to `cwd` when inside it, else absolute; with a final separator. */
function showFolder(dir: string, cwd: string): string {
  const relative = path.relative(cwd, dir)
  const outside = relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)
  const shown = relative === '' ? '.' : outside ? dir : relative
  return shown.endsWith(path.sep) ? shown : shown + path.sep
}

function summarize(names: string[]): string {
  return names.length <= 4 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`
}
