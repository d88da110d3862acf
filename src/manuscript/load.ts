/**
 * Read the manuscript folder: `book.yaml`, then every chapter file in order,
 * each into a vfile that carries what its file name says. Nothing is parsed
 * here; problems with the folder itself are reported on book.yaml's vfile.
 */
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { VFile } from 'vfile'
import { report } from '../checks/rules.ts'
import { loadConfig } from '../config/load.ts'
import type { ResolvedConfig } from '../config/schema.ts'
import { listChapterFiles, type ChapterFile } from './chapter-files.ts'
import { checkCover } from './cover.ts'
import '../unified/types.ts'

export interface LoadedManuscript {
  config: ResolvedConfig
  /** book.yaml's vfile: configuration and folder-level diagnostics. */
  configFile: VFile
  chapters: { file: VFile; entry: ChapterFile; bytes: number }[]
}

/** Read book.yaml and the chapter files of the manuscript folder `root`. */
export async function loadManuscript(root: string, cwd = process.cwd()): Promise<LoadedManuscript> {
  const folder = path.resolve(cwd, root)
  const info = await stat(folder).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`Manuscript folder ${root} not found: give the folder holding book.yaml and the chapter files (default: chapters)`, { cause: error })
  })
  if (!info.isDirectory()) throw new Error(`${root} is not a folder: give the folder holding book.yaml and the chapter files`)

  const { config, file: configFile } = await loadConfig(folder, cwd)
  checkCover(config, configFile)
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

  const chapters = await Promise.all(
    listing.chapters.map(async (entry) => {
      const absolute = path.join(folder, entry.source)
      const buffer = await readFile(absolute)
      const file = new VFile({ path: path.relative(cwd, absolute), cwd, value: buffer.toString('utf8').replace(/^\uFEFF/, '') })
      file.data.chapterFile = {
        ...(entry.fileNumber === undefined ? {} : { fileNumber: entry.fileNumber }),
        nameSlug: entry.nameSlug,
        language: config.language,
      }
      return { file, entry, bytes: buffer.byteLength }
    }),
  )
  return { config, configFile, chapters }
}

/** Where `needle` first appears in `text`, as a point (for pointing into book.yaml). */
export function pointOf(text: string, needle: string) {
  const index = text.indexOf(needle)
  if (index < 0) return undefined
  const before = text.slice(0, index).split('\n')
  return { line: before.length, column: before.at(-1)!.length + 1 }
}
