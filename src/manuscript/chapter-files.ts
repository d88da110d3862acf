/**
 * Which files in the manuscript folder are chapters, in which order, and what
 * their names say (number, slug, a title guess).
 */
import { lstat, readdir } from 'node:fs/promises'
import path from 'node:path'
import { slugify } from '../text/slug.ts'

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
  /** Markdown files meant as chapters but not named like them, each with the name it should have. */
  misnamed: { name: string; suggestion: string }[]
  /** Markdown files that do not look like chapters (`notes.md`), passed over. */
  ignored: string[]
  /** Entries of `chapters:` in book.yaml that do not exist. */
  missing: string[]
}

/**
 * Names (by their first word) an author keeps beside the chapters that are
 * not chapters: passed over with a warning, not an error. `README.md` and
 * names starting with `_` or `.` are passed over without a word.
 */
const notChapters = new Set(['notes', 'note', 'todo', 'outline', 'changelog', 'changes', 'license', 'licence', 'contributing', 'synopsis'])

/** A chapter number in a misnamed file: up to three digits, so a year (`berlin-1961.md`) is not one. */
const numberInName = /(?<!\d)\d{1,3}(?!\d)/

/** Words in a file name that say only what its number says (`chapter 3.md`). */
const chapterWords = new Set(['chapter', 'chap', 'ch'])

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
      // A link is listed whatever it leads to: reading the chapter reports one out of the book.
      const ok = await lstat(path.join(root, normalized)).then((s) => s.isFile() || s.isSymbolicLink(), () => false)
      if (ok) chapters.push(describeChapterFile(normalized))
      else missing.push(entry)
    }
    // The list says what the book is: other files are the author's business.
    return { chapters, misnamed: [], ignored: [], missing }
  }
  // Links too: one that leads out of the book is reported when the chapter is read, never skipped unseen.
  const names = (await readdir(root, { withFileTypes: true })).filter((entry) => entry.isFile() || entry.isSymbolicLink()).map((entry) => entry.name)
  const chapters: ChapterFile[] = []
  const others: string[] = []
  for (const name of names) {
    if (!/\.(md|markdown)$/i.test(name)) continue
    const file = describeChapterFile(name)
    if (file.fileNumber === undefined) others.push(name)
    else chapters.push(file)
  }
  chapters.sort((a, b) => a.fileNumber! - b.fileNumber! || a.source.localeCompare(b.source))
  const misnamed: ChapterListing['misnamed'] = []
  const ignored: string[] = []
  const candidates: string[] = []
  for (const name of others.sort()) {
    if (/^readme\.(md|markdown)$/i.test(name) || /^[_.]/.test(name)) continue
    if (notChapters.has(name.toLowerCase().split(/[-_ .]/)[0]!)) ignored.push(name)
    else candidates.push(name)
  }
  // Each file keeps the number in its name if no chapter and no earlier suggestion has it; otherwise, and
  // for a file without a number, the first number after the chapters that nothing has taken. So no two
  // suggestions are the same, and following them never overwrites a chapter.
  const taken = new Set(chapters.map((chapter) => chapter.fileNumber!))
  const last = Math.max(0, ...chapters.map((chapter) => chapter.fileNumber!))
  const width = Math.max(2, String(last).length)
  const numbers = new Map<string, number>()
  for (const name of candidates) {
    const own = numberInName.exec(name.replace(/\.(md|markdown)$/i, ''))
    if (own && !taken.has(Number(own[0]))) {
      numbers.set(name, Number(own[0]))
      taken.add(Number(own[0]))
    }
  }
  let next = last + 1
  for (const name of candidates) {
    let number = numbers.get(name)
    if (number === undefined) {
      while (taken.has(next)) next += 1
      number = next
      taken.add(number)
    }
    misnamed.push({ name, suggestion: suggestChapterName(name, number, width) })
  }
  return { chapters, misnamed, ignored, missing: [] }
}

/**
 * The name a Markdown file not named like a chapter should have: `number`
 * padded to `width`, then a slug of the rest of its name without the number
 * in it (`chapter 3.md` → `03-chapter.md`, `Chapter 3 - Winter.md` →
 * `03-winter.md`, `the-long-winter.md` → `05-the-long-winter.md`).
 */
export function suggestChapterName(name: string, number: number, width = 2): string {
  const extension = /\.(md|markdown)$/i.exec(name)?.[0] ?? '.md'
  const stem = name.slice(0, name.length - extension.length)
  const digits = numberInName.exec(stem)
  const rest = digits ? `${stem.slice(0, digits.index)} ${stem.slice(digits.index + digits[0].length)}` : stem
  const words = slugify(rest).split('-').filter(Boolean)
  // `chapter` beside the number says nothing more, unless it is all there is.
  const meaningful = words.filter((word) => !chapterWords.has(word))
  const slug = (meaningful.length > 0 ? meaningful : words).join('-') || 'chapter'
  return `${String(number).padStart(width, '0')}-${slug}${extension.toLowerCase()}`
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

function safeSlug(name: string): string {
  return slugify(name) || 'chapter'
}
