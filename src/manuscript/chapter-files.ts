/**
 * Which files in the manuscript folder are chapters, in which order, and what
 * their names say (number, slug, a title guess).
 */
import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'

/** `07-the-long-winter.md`: a number, a separator, a slug. */
const chapterName = /^(\d{1,4})[-_ ]+(.*)\.(md|markdown)$/i

export interface ChapterFile {
  /** Path relative to the manuscript folder. */
  source: string
  /** The number in the file name, if any. */
  fileNumber?: number
  /** The file name without number and extension (`the-long-winter`). */
  nameSlug: string
  /** The output name: the file name without extension. */
  slug: string
}

/** Read a chapter file name. */
export function describeChapterFile(source: string): ChapterFile {
  const base = path.basename(source)
  const match = chapterName.exec(base)
  const slug = base.replace(/\.(md|markdown)$/i, '')
  if (match) return { source, fileNumber: Number(match[1]), nameSlug: match[2]!, slug: safeSlug(slug) }
  return { source, nameSlug: slug, slug: safeSlug(slug) }
}

export interface ChapterListing {
  chapters: ChapterFile[]
  /** Markdown files passed over because they are not named like chapters. */
  ignored: string[]
  /** Entries of `chapters:` in book.yaml that do not exist. */
  missing: string[]
}

/**
 * List the chapters: the explicit `chapters:` order when given, else every
 * `NN-slug.md` in the folder ordered by number (then name).
 */
export async function listChapterFiles(root: string, explicit?: string[]): Promise<ChapterListing> {
  if (explicit) {
    const chapters: ChapterFile[] = []
    const missing: string[] = []
    for (const entry of explicit) {
      const normalized = path.normalize(entry)
      if (path.isAbsolute(normalized) || normalized.startsWith('..')) {
        missing.push(entry)
        continue
      }
      const ok = await stat(path.join(root, normalized)).then((s) => s.isFile(), () => false)
      if (ok) chapters.push(describeChapterFile(normalized))
      else missing.push(entry)
    }
    return { chapters, ignored: [], missing }
  }
  const names = (await readdir(root, { withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name)
  const chapters: ChapterFile[] = []
  const ignored: string[] = []
  for (const name of names) {
    if (!/\.(md|markdown)$/i.test(name)) continue
    const file = describeChapterFile(name)
    if (file.fileNumber === undefined) {
      if (!/^readme\.md$/i.test(name)) ignored.push(name)
    } else chapters.push(file)
  }
  chapters.sort((a, b) => a.fileNumber! - b.fileNumber! || a.source.localeCompare(b.source))
  ignored.sort()
  return { chapters, ignored, missing: [] }
}

const minorWords = new Set(
  'a an and as at but by en for from if in into nor of on or per the to up via vs with'.split(' '),
)

/**
 * A title guessed from a file name slug: `a-marriage-of-convenience` →
 * "A Marriage of Convenience". English title case; other languages get
 * sentence case, which is right for most of them.
 */
export function titleFromSlug(slug: string, language = 'en'): string {
  const words = slug.split(/[-_\s]+/).filter(Boolean)
  const english = language.toLowerCase().startsWith('en')
  return words
    .map((word, index) => {
      const lower = word.toLowerCase()
      const edge = index === 0 || index === words.length - 1
      if (!english) return index === 0 ? capitalize(lower) : lower
      return !edge && minorWords.has(lower) ? lower : capitalize(lower)
    })
    .join(' ')
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1)
}

/** A URL- and file-safe slug: ASCII letters, digits and hyphens. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
}

function safeSlug(name: string): string {
  return slugify(name) || 'chapter'
}
