/**
 * The schema of `book.yaml`, one described field per key, and the resolved
 * configuration every later stage reads (defaults filled in, paths absolute).
 */
import { z } from 'zod'
import { rules, type RuleId, type Severity } from '../diagnostics/rules.ts'
import { isbnProblem, parseIsbn } from './isbn.ts'
import { storeTrim, stores, trimList, type PrintPreset } from './stores.ts'

const nonEmpty = z.string().trim().min(1, 'expected a non-empty string')

const person = z.union([
  nonEmpty,
  z
    .object({
      name: nonEmpty.describe('The name as printed on the title page.'),
      role: z
        .enum(['author', 'editor', 'translator', 'illustrator', 'contributor'])
        .optional()
        .describe('MARC relator role (default: author).'),
      'file-as': nonEmpty.optional().describe('Sort form, e.g. "Fenwick, Ada".'),
    })
    .strict(),
])

/** Whether `YYYY`, `YYYY-MM` or `YYYY-MM-DD` names a day, month or year that exists. */
function isCalendarDate(value: string): boolean {
  const [year, month = '01', day = '01'] = value.split('-')
  const date = new Date(`${year}-${month}-${day}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(`${year}-${month}-${day}`)
}

/** Trim sizes Quire knows by name; any `WxHin` or `WxHmm` is accepted as well. */
export const namedTrims: Record<string, { width: number; height: number; unit: 'in' | 'mm' }> = {
  a5: { width: 148, height: 210, unit: 'mm' },
  letter: { width: 8.5, height: 11, unit: 'in' },
  'us-letter': { width: 8.5, height: 11, unit: 'in' },
}

const trimPattern = /^\s*(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)\s*(in|mm)\s*$/i

/** Parse a `trim:` value (`6x9in`, `148 x 210 mm`, `A5`), or undefined when malformed. */
export function parseTrim(value: string): Trim | undefined {
  const named = namedTrims[value.trim().toLowerCase()]
  if (named) return { ...named, name: value.trim() }
  const match = trimPattern.exec(value)
  if (!match) return undefined
  const width = Number(match[1])
  const height = Number(match[2])
  const unit = match[3]!.toLowerCase() as 'in' | 'mm'
  if (!(width > 0 && height > 0)) return undefined
  return { width, height, unit, name: value.trim() }
}

export interface Trim {
  width: number
  height: number
  unit: 'in' | 'mm'
  name: string
}

/** A font file inside the book. */
const fontFile = nonEmpty.regex(/\.(woff2|ttf|otf)$/i, 'expected a .woff2, .ttf or .otf file inside the book')

/** A typeface: an @fontsource family's name, one font file, or a file per style. */
const fontSetting = z.union(
  [
    nonEmpty,
    z
      .object({
        family: nonEmpty.optional().describe('The name it goes by (default: from the regular file’s name).'),
        regular: fontFile,
        italic: fontFile.optional(),
        bold: fontFile.optional(),
        'bold-italic': fontFile.optional(),
      })
      .strict(),
  ],
  { error: 'expected an @fontsource family name ("Source Serif 4"), a font file (fonts/face.woff2), or {family, regular, italic, bold, bold-italic} files' },
)

/** A part's first or last chapter: its file name, or its chapter number. */
const partChapter = z.union([nonEmpty, z.number().int().min(0)])

/** Rules `checks:` may turn off or re-level: all but book.yaml's own, which must hold for the settings to be read. */
export const CHECKABLE_RULES = Object.keys(rules).filter((id) => !id.startsWith('config-')) as [RuleId, ...RuleId[]]

/** `book.yaml` as the author writes it. Unknown keys are errors, so typos surface. */
export const bookYamlSchema = z
  .object({
    title: nonEmpty.describe('The book title.'),
    subtitle: nonEmpty.optional().describe('Subtitle, shown under the title.'),
    author: z
      .union([person, z.array(person).min(1)])
      .optional()
      .describe('One author or a list; each a name or {name, role, file-as}.'),
    language: z
      .string()
      .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'expected a BCP 47 language tag such as "en" or "pt-BR"')
      .optional()
      .describe('BCP 47 language of the text (default: en).'),
    publisher: nonEmpty.optional().describe('Publisher name.'),
    date: z
      .union([
        z
          .string()
          .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'expected a date as YYYY, YYYY-MM or YYYY-MM-DD')
          .refine(isCalendarDate, 'expected a real date: the month must be 01–12 and the day must exist in that month'),
        z.number().int(),
      ])
      .optional()
      .describe('Publication date (YYYY-MM-DD); also fixes timestamps in the outputs.'),
    identifier: nonEmpty
      .superRefine((value, context) => {
        const problem = isbnProblem(value)
        if (problem) context.addIssue({ code: 'custom', message: problem })
      })
      .optional()
      .describe('ISBN or URN identifying this edition; an ISBN must have the right check digit.'),
    'print-isbn': nonEmpty
      .superRefine((value, context) => {
        if (!parseIsbn(value)) context.addIssue({ code: 'custom', message: isbnProblem(value) ?? 'expected the print edition’s ISBN, 10 or 13 digits (hyphens allowed)' })
      })
      .optional()
      .describe('The ISBN of the print edition: the EPUB then marks where each printed page begins, with a page list.'),
    rights: nonEmpty.optional().describe('Copyright line.'),
    colophon: nonEmpty.optional().describe('The last line of the copyright page (default: the typeface the edition is set in, and "Made with Quire.").'),
    description: nonEmpty.optional().describe('A short description for stores and metadata.'),
    'back-cover': nonEmpty.optional().describe('The text on the printed cover’s back, paragraphs split by blank lines (default: the description).'),
    'author-bio': nonEmpty.optional().describe('A few lines about the author, below it on the back cover.'),
    cover: nonEmpty.optional().describe('Cover image, relative to the manuscript folder.'),
    bibliography: z
      .union([nonEmpty, z.array(nonEmpty).min(1)])
      .optional()
      .describe('Reference file(s) relative to the manuscript folder: CSL-JSON, CSL-YAML or BibTeX.'),
    'citation-style': nonEmpty
      .optional()
      .describe('CSL style: chicago-notes-bibliography, chicago-author-date, apa, any CSL style id, or a .csl file in the manuscript folder or its styles/ (default: chicago-notes-bibliography).'),
    'chapter-bibliographies': z.boolean().optional().describe('Also list the works each chapter cites at the end of that chapter (default: false).'),
    trim: z
      .string()
      .refine((v) => parseTrim(v) !== undefined, 'expected a trim size such as 6x9in, 5.5x8.5in, 148x210mm, A5 or letter')
      .optional()
      .describe('Print trim size (default: 6x9in).'),
    chapters: z.array(nonEmpty).min(1).optional().describe('Explicit chapter order: file names in the manuscript folder.'),
    parts: z
      .array(
        z
          .object({
            title: nonEmpty.describe('The part title, on its own page ("Part One" above it).'),
            chapters: z
              .union([partChapter, z.tuple([partChapter]), z.tuple([partChapter, partChapter])], { error: 'expected the first and last chapter of the part, [01-first.md, 04-last.md] (file names or chapter numbers)' })
              .describe('Its first and last chapter: file names as in `chapters:`, or chapter numbers; one for a part of one chapter.'),
            epigraph: nonEmpty.optional().describe('A quotation set on the part page.'),
            'epigraph-source': nonEmpty.optional().describe('Who or what the epigraph is from.'),
          })
          .strict(),
      )
      .min(1)
      .optional()
      .describe('Parts grouping the chapters: a list of {title, chapters: [first, last]}, in order. Or `part:` in a chapter’s front matter.'),
    index: z
      .boolean({ error: 'expected true or false' })
      .optional()
      .describe('true: an index at the end of the book, made from the [words]{.index} marks, when no chapter file has role: index (default: false).'),
    'part-numbers': z
      .enum(['words', 'roman', 'arabic'])
      .optional()
      .describe('How parts are numbered: words (Part One), roman (Part I) or arabic (Part 1) (default: words).'),
    slug: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lowercase letters, digits and hyphens')
      .optional()
      .describe('Base name of the output files (default: from the title).'),
    paragraphs: z
      .enum(['auto', 'lines', 'blank'])
      .optional()
      .describe('How paragraphs are separated: detect per chapter, one per line, or blank lines (default: auto).'),
    figures: z
      .enum(['plain', 'numbered'])
      .optional()
      .describe('numbered: captions open with "Figure 3.2." and the editions list the figures after the contents (default: plain).'),
    toc: z
      .object({
        depth: z.number().int().min(1).max(3).optional().describe('1 = chapters, 2 = sections, 3 = subsections (default: 2).'),
      })
      .strict()
      .optional()
      .describe('Table of contents settings (the web edition, the EPUB navigation and the PDF).'),
    checks: z
      .partialRecord(
        z.enum(CHECKABLE_RULES, { message: 'expected a rule id from `quire check`’s catalogue (README, Diagnostics)' }),
        z.enum(['off', 'info', 'warning', 'error'], { message: 'expected off, info, warning or error' }),
      )
      .optional()
      .describe('Per rule: off, or the severity to report it with (default: each rule’s own).'),
    epub: z
      .object({
        'embed-fonts': z
          .boolean()
          .optional()
          .describe('Pack the text face (Literata, SIL OFL) into the EPUB; readers may still override it (default: false).'),
      })
      .strict()
      .optional()
      .describe('EPUB settings.'),
    fonts: z
      .object({
        body: fontSetting.optional().describe('The text face: an @fontsource family name, such as "Source Serif 4", or font files in the book (default: Literata).'),
        headings: fontSetting.optional().describe('Titles and headings (default: the body face).'),
        mono: fontSetting.optional().describe('Code (default: Noto Sans Mono).'),
      })
      .strict()
      .optional()
      .describe('Typefaces: @fontsource families installed in the book’s folder or Quire’s (Literata, Source Sans 3, Noto Sans Mono ship with Quire), or .woff2, .ttf or .otf files inside the book.'),
    print: z
      .object({
        'font-size': z
          .number({ error: 'expected the body text size in points, a number such as 10.5 or 11' })
          .min(8, 'expected at least 8 (points): smaller is hard to read in print')
          .max(14, 'expected at most 14 (points)')
          .optional()
          .describe('Body text size in points (default: from the trim, 10.5 at 6 × 9 in).'),
        leading: z
          .number({ error: 'expected the line height as a multiple of the text size, such as 1.4' })
          .min(1.1, 'expected at least 1.1: lines closer than that touch')
          .max(2, 'expected at most 2')
          .optional()
          .describe('Line height as a multiple of the text size (default: 1.4).'),
        preset: z
          .enum(['kdp', 'ingramspark'], { error: 'expected kdp or ingramspark' })
          .optional()
          .describe('The print-on-demand service the print files are for: its trims, margins by page count, a full-wrap cover (<slug>-cover.pdf) and a preflight of both files (default: none).'),
        paper: z
          .enum(['white', 'cream', 'color'], { error: 'expected white, cream or color' })
          .optional()
          .describe('The paper, which sets the spine’s width (default: white).'),
        bleed: z.boolean({ error: 'expected true or false' }).optional().describe('Pages 0.125 in larger at the top, foot and outside edge, for art that runs off the page (default: false).'),
      })
      .strict()
      .optional()
      .describe('The printed page: text size and leading, and the print-on-demand service.'),
    notes: z
      .union(
        [
          z.enum(['endnotes', 'footnotes']),
          z
            .object({
              print: z.enum(['endnotes', 'footnotes']).optional().describe('Where the PDF prints the notes (default: endnotes).'),
              epub: z
                .enum(['endnotes'], { message: 'expected endnotes: the EPUB and the web edition link each call to its note at the chapter’s end, which reading systems show as a pop-up' })
                .optional()
                .describe('The EPUB and web edition keep linked notes at each chapter’s end (pop-ups in reading systems).'),
            })
            .strict(),
        ],
        { error: 'expected endnotes, footnotes, or {print: footnotes, epub: endnotes}' },
      )
      .optional()
      .describe('endnotes: notes at each chapter’s end (default); footnotes: in the PDF, each note at the foot of the page that calls it (the EPUB and web edition keep linked notes).'),
    pdf: z
      .object({
        variant: z
          .enum(['screen', 'print', 'both'])
          .optional()
          .describe('screen: bookmarks, links and tags for reading (<slug>.pdf); print: none of them, for a print-on-demand upload (<slug>-print.pdf); both (default: screen).'),
      })
      .strict()
      .optional()
      .describe('PDF settings.'),
  })
  .strict()
  .superRefine((yaml, context) => {
    // A store prints only the trims it offers: said at `trim:`, which then falls back to the default.
    const preset = yaml.print?.preset
    const trim = parseTrim(yaml.trim ?? '6x9in')
    if (!preset || !trim || storeTrim(stores[preset], trim)) return
    context.addIssue({ code: 'custom', path: ['trim'], message: `${stores[preset].name} does not print ${trim.name}; it offers ${trimList(stores[preset])}` })
  })

export type BookYaml = z.infer<typeof bookYamlSchema>

/** A typeface in book.yaml: an @fontsource family's name or a font file (both strings), or a file per style, manuscript-relative. */
export type FontSetting = string | { family?: string; regular: string; italic?: string; bold?: string; boldItalic?: string }

/** One of book.yaml's `parts:`. */
export interface PartSetting {
  title: string
  /** First and last chapter: a file name or a chapter number. */
  chapters: [first: string | number, last: string | number]
  epigraph?: string
  epigraphSource?: string
}

/** One contributor, normalized. */
export interface Contributor {
  name: string
  role: 'author' | 'editor' | 'translator' | 'illustrator' | 'contributor'
  fileAs?: string
}

/** The configuration after defaults and path resolution. */
export interface ResolvedConfig {
  /** Absolute path of the manuscript folder. */
  root: string
  title: string
  subtitle?: string
  contributors: Contributor[]
  language: string
  publisher?: string
  date?: string
  identifier?: string
  /** The print edition's ISBN, digits only: the EPUB gets the printed pages' breaks. */
  printIsbn?: string
  rights?: string
  /** Replaces the copyright page's last line. */
  colophon?: string
  description?: string
  /** The printed cover's back: its text, and a few lines about the author. */
  backCover?: string
  authorBio?: string
  /** Manuscript-relative cover image path. */
  cover?: string
  /** Manuscript-relative bibliography paths. */
  bibliography: string[]
  /** The `citation-style` value as written. */
  citationStyle: string
  chapterBibliographies: boolean
  trim: Trim
  /** Explicit chapter file order, if given. */
  chapters?: string[]
  /** book.yaml's `parts:`, as written (chapters resolved by parse/parts.ts). */
  parts?: PartSetting[]
  partNumbers: 'words' | 'roman' | 'arabic'
  /** book.yaml's `index: true`: an index page even without a chapter file of role index. */
  index: boolean
  slug: string
  paragraphs: 'auto' | 'lines' | 'blank'
  /** `numbered`: figure numbers and a list of figures. */
  figures: 'plain' | 'numbered'
  tocDepth: number
  /** Rule settings from `checks:`: off, or a severity. */
  checks: Partial<Record<RuleId, 'off' | Severity>>
  epub: { embedFonts: boolean }
  pdf: { variant: 'screen' | 'print' | 'both' }
  /** Where the PDF prints the notes: at each chapter's end, or at the foot of the page that calls each. */
  notes: { print: 'endnotes' | 'footnotes' }
  /** book.yaml's `fonts:` as written (fonts/families.ts finds them). */
  fonts: { body?: FontSetting; headings?: FontSetting; mono?: FontSetting }
  /** The printed page's text size (points) and leading, when book.yaml sets them, and the print-on-demand service. */
  print: { fontSize?: number; leading?: number; preset?: PrintPreset }
}
