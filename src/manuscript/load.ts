/**
 * Read the manuscript folder: `book.yaml`, then every chapter file in order,
 * each into a vfile that carries what its file name says. Nothing is parsed
 * here; problems with the folder itself are reported on book.yaml's vfile.
 */
import { readFile, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import { VFile } from 'vfile'
import { report } from '../diagnostics/rules.ts'
import { loadConfig } from '../config/load.ts'
import type { ResolvedConfig } from '../config/schema.ts'
import { listChapterFiles, type ChapterFile } from './chapter-files.ts'
import { checkCover } from './cover.ts'
import { isInside } from './inside.ts'
import { decodeText } from '../text/encoding.ts'

/** What the file name of a chapter says. */
export interface ChapterFileData {
  fileNumber?: number
  nameSlug: string
  language: string
}

declare module 'vfile' {
  interface DataMap {
    /** Set by the loader, before the plugins run. */
    chapterFile: ChapterFileData
  }
}

export interface LoadedManuscript {
  config: ResolvedConfig
  /** book.yaml's vfile: configuration and folder-level diagnostics. */
  configFile: VFile
  /** Each chapter's file; `unread` when it could not be read as text (reported on it), so it is not parsed. */
  chapters: { file: VFile; entry: ChapterFile; bytes: number; unread?: true }[]
}

/** Read book.yaml and the chapter files of the manuscript folder `root`. */
export async function loadManuscript(root: string, cwd = process.cwd()): Promise<LoadedManuscript> {
  const folder = path.resolve(cwd, root)
  const info = await stat(folder).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`Manuscript folder ${root} not found: give the folder holding book.yaml and the chapter files (default: chapters)`, { cause: error })
  })
  if (!info.isDirectory()) throw new Error(`${root} is not a folder: give the folder holding book.yaml and the chapter files`)

  const { config, file: configFile } = await loadConfig(folder, cwd)
  await checkCover(config, configFile)
  const listing = await listChapterFiles(folder, config.chapters)
  for (const name of listing.missing) {
    report(configFile, 'chapter-missing', `Chapter \`${name}\` listed in \`chapters:\` not found in ${path.relative(cwd, folder) || '.'}: fix the name or remove it from the list`, configFile.value ? pointOf(String(configFile.value), name) : undefined)
  }
  for (const { name, suggestion } of listing.misnamed) {
    report(configFile, 'chapter-file-name', `Unexpected chapter file name \`${name}\`, expected NN-slug.md: it is not in the book. Rename it to \`${suggestion}\`, list the chapters in book.yaml's \`chapters:\`, or start its name with \`_\` to keep it out`)
  }
  for (const name of listing.ignored) {
    report(configFile, 'chapter-file-ignored', `Ignored \`${name}\`: it is not named like a chapter (NN-slug.md), so it is not in the book. Start its name with \`_\` to keep it out without a warning`)
  }
  // A misnamed chapter is the cause: "no chapters" would only follow from it.
  if (listing.chapters.length === 0 && listing.missing.length === 0 && listing.misnamed.length === 0) {
    report(configFile, 'chapter-none', `No chapters in ${path.relative(cwd, folder) || '.'}: add files named like 01-introduction.md`)
  }

  const realRoot = await realpath(folder)
  const chapters = await Promise.all(listing.chapters.map((entry) => readChapter(folder, realRoot, entry, config, configFile, cwd)))
  return { config, configFile, chapters }
}

/**
 * Read one chapter file as text. A chapter that is a link to a file outside
 * the manuscript folder is not read (its text would be published), and one
 * that is not UTF-8 or UTF-16 is not guessed at: each is reported on the
 * chapter and left unread.
 */
async function readChapter(folder: string, realRoot: string, entry: ChapterFile, config: ResolvedConfig, configFile: VFile, cwd: string): Promise<LoadedManuscript['chapters'][number]> {
  const absolute = path.join(folder, entry.source)
  const file = new VFile({ path: path.relative(cwd, absolute), cwd, value: '' })
  file.data.chapterFile = {
    ...(entry.fileNumber === undefined ? {} : { fileNumber: entry.fileNumber }),
    nameSlug: entry.nameSlug,
    language: config.language,
  }
  const real = await realpath(absolute).catch(() => undefined)
  if (!real || !(await stat(real)).isFile()) {
    report(configFile, 'chapter-missing', `Chapter \`${entry.source}\` is a link to ${real ? 'a folder' : 'nothing'}: replace the link with the chapter file`)
    return { file, entry, bytes: 0, unread: true }
  }
  if (!isInside(realRoot, real)) {
    report(file, 'chapter-outside', `Chapter \`${entry.source}\` is a link to \`${real}\`, outside the manuscript folder: it is not read. Move or copy the file into ${path.relative(cwd, folder) || '.'} instead of linking to it`, { line: 1, column: 1 })
    return { file, entry, bytes: 0, unread: true }
  }
  const buffer = await readFile(real)
  const decoded = decodeText(buffer)
  if (!decoded.ok) {
    report(file, 'encoding-invalid', `${decoded.reason}; until then the chapter is not read`, decoded.point)
    return { file, entry, bytes: buffer.byteLength, unread: true }
  }
  file.value = decoded.text
  file.data.encoding = decoded.encoding
  return { file, entry, bytes: buffer.byteLength }
}

/** Where `needle` first appears in `text`, as a point (for pointing into book.yaml). */
export function pointOf(text: string, needle: string) {
  const index = text.indexOf(needle)
  if (index < 0) return undefined
  const before = text.slice(0, index).split('\n')
  return { line: before.length, column: before.at(-1)!.length + 1 }
}
