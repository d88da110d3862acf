/**
 * The book model: plain, serializable data. Parsing makes a `MarkdownBook`
 * (chapters as Markdown trees), the citation stage fills in its notes and
 * bibliography, and the HTML stage turns it into the `Book` every renderer
 * reads. No class instances, so a `Book` can be dumped to JSON and
 * snapshot-tested (test/book-snapshot.test.ts).
 */
import type { ChapterRole, Matter } from './roles.ts'
import type { Element, Root as HastRoot } from 'hast'
import type { Root as MdastRoot } from 'mdast'
import type { ResolvedConfig } from '../config/schema.ts'

/** A point in a source file (1-based line and column), as unist has it. */
export interface SourcePoint {
  line: number
  column: number
}

/** A numbered section line (`7.2 The Long Winter`) or a Markdown heading. */
export interface Section {
  /** Stable id used in the HTML (`sec-7-2`, or a slug for `##` headings). */
  id: string
  /** Heading rank in the chapter: 2 for `7.2`, 3 for `7.2.1` (the chapter title is 1). */
  depth: number
  /** The visible number (`7.2`), absent for plain Markdown headings. */
  number?: string
  /** The title as plain text, typography applied. */
  title: string
  line: number
}

/** A captioned figure, for the list of figures. */
export interface FigureEntry {
  /** Element id (`ch-3-fig-2`). */
  id: string
  /** Its number with `figures: numbered` ("Figure 3.2."). */
  label?: string
  /** The caption as plain text (without the label). */
  caption: string
  line: number
}

/** Words marked for the index (`[words]{.index …}`), as the index is built from them. */
export interface IndexMarkEntry {
  /** Element id of the marked words (`ch-3-idx-2`), which locators link to. */
  id: string
  /** The heading it is filed under: `term`, else the words. */
  term: string
  sub?: string
  see?: string
  seeAlso?: string
  range?: 'start' | 'end'
  /** The marked words as printed. */
  text: string
  /** The numbered section it is in ("3.2"), for the locators of the EPUB and web index. */
  section?: string
  line: number
  column: number
}

/** A citation marker as parsed, not yet resolved against the bibliography. */
export interface CitationRef {
  /** `marker` for `[citation N]`, `key` for Pandoc-style `[@key]`. */
  kind: 'marker' | 'key'
  /** The raw source text of the marker, kept as a fallback rendering. */
  raw: string
  /** For `[citation N]`: N. */
  marker?: number
  /** For Pandoc keys: each cited item, in order. */
  items?: CitationItem[]
  /** `@key says …`: the author's name is part of the sentence. */
  inText?: boolean
  line: number
  column: number
  endLine: number
  endColumn: number
}

/** One work cited inside a Pandoc citation: `[see @key, p. 33]`. */
export interface CitationItem {
  key: string
  prefix?: string
  locator?: string
  /** `-@key`: cite without the author's name. */
  suppressAuthor?: boolean
}

/** How the chapter's number and title were found, for `check` to report guesses. */
export type TitleSource = 'front-matter' | 'heading' | 'file-name'
export type NumberSource = 'front-matter' | 'heading' | 'sections' | 'file-name' | 'none'

/** What parsing finds out about a chapter; every later stage carries it on. */
export interface ChapterFacts {
  /** Element id of the chapter (`ch-7`, or `ch-<slug>` when unnumbered). */
  id: string
  /** Chapter number, if it has one. */
  number?: number
  numberSource: NumberSource
  title: string
  titleSource: TitleSource
  /** Path of the source file, relative to the manuscript folder. */
  source: string
  /** Output name without extension (`02-paragraphs-and-sections`). */
  slug: string
  /** What the chapter is in the book, from its front matter's `role:` (none: a chapter). */
  role?: ChapterRole
  /** Front matter (roman folios in print), the body, or back matter: its role and its place decide. */
  matter: Matter
  /** An appendix's letter (A, B …), in order. */
  letter?: string
  /** The number of the part of the book it is in (`Book.parts[part - 1]`), if the book has parts and this chapter is in one. */
  part?: number
  /** `lines` when the chapter was written one paragraph per line. */
  paragraphMode: 'lines' | 'blank'
  /** Front matter other than the keys Quire reads itself. */
  meta: Record<string, unknown>
  /** The front matter's `citations:` map, marker number → reference. */
  citationMap: Record<number, CitationMapEntry>
  sections: Section[]
  figures: FigureEntry[]
  /** Words marked for the index, in order. */
  indexMarks: IndexMarkEntry[]
  citations: CitationRef[]
}

/**
 * A chapter between parsing and HTML: its Markdown tree, which the citation
 * stage reads and fills (notes, a chapter bibliography). Only the stages up
 * to the HTML trees see one.
 */
export interface MarkdownChapter extends ChapterFacts {
  /** Its notes once citations are resolved (citations in a note style, and `[^1]` footnotes), numbered from 1. */
  notes: Note[]
  /** The works this chapter cites, when book.yaml asks for `chapter-bibliographies`. */
  bibliography?: BibliographySection
  /** The transformed Markdown tree (positions kept, for checks). */
  mdast: MdastRoot
}

/** One chapter as the renderers see it: its facts, notes and HTML tree, and no Markdown. */
export interface Chapter extends ChapterFacts {
  /** The chapter's notes (citations in a note style, and `[^1]` footnotes), numbered from 1. */
  notes: Note[]
  /** The works this chapter cites, when book.yaml asks for `chapter-bibliographies`. */
  bibliography?: BibliographySection
  /** Manuscript-relative paths of local images the chapter uses. */
  assets: string[]
  /** The sanitized chapter body, ready for a renderer. */
  hast: HastRoot
  /**
   * A digest of everything `hast` was made from (this machine's paths
   * included): equal digests, equal trees. Renderers key cached pages by it.
   */
  digest: string
  /** The ids in `hast`, and its links' local hrefs: what linking across an edition's pages reads of it. */
  anchors: string[]
  /** Set again by the link check (`link-target-unknown`), which rewrites links to chapters and unlinks those that lead nowhere. */
  hrefs: string[]
}

/** What a marker number maps to in a chapter's front matter. */
export interface CitationMapEntry {
  key: string
  locator?: string
  prefix?: string
  suffix?: string
}

/** One endnote of a chapter. Its formatted text is in the chapter's hast. */
export interface Note {
  number: number
  /** Element id of the note (`ch-3-note-2`). */
  id: string
  /** `citation` for a note made from a citation marker, `footnote` for an author's `[^1]`. */
  kind: 'citation' | 'footnote'
  /** The note as plain text, for checks and tests. */
  text: string
}

/** A formatted list of works cited: the book's, or one chapter's. */
export interface BibliographySection {
  /** "Bibliography" or "References", as the style's class suggests, in the book's language. */
  title: string
  entries: BibliographyEntry[]
  /** The whole section, heading and list, ready for a renderer. */
  hast: Element
}

export interface BibliographyEntry {
  key: string
  /** Element id that citations link to (`ref-kennan1947`). */
  id: string
  text: string
}

/** The citation style in use, as the renderers and checks need it. */
export interface CitationStyleInfo {
  id: string
  title: string
  class: 'note' | 'in-text'
}

/**
 * A part of the book: a run of chapters of the body under a title page of
 * its own ("Part One: Containment"), from book.yaml's `parts:` or a
 * chapter's `part:`. Its chapters say so (`ChapterFacts.part`).
 */
export interface BookPart {
  /** 1-based, in book order. */
  number: number
  /** Element id of its title page (`part-1`). */
  id: string
  /** "Part One", "Part I" or "Part 1", as book.yaml's `part-numbers:` says, in the book's language. */
  label: string
  title: string
  epigraph?: string
  epigraphSource?: string
}

/** What is known of the whole book besides its chapters. */
interface BookFacts {
  config: ResolvedConfig
  /** Its parts, in order; empty for a book not divided into parts. */
  parts: BookPart[]
  /** The style citations were formatted with, when the book cites anything. */
  citationStyle?: CitationStyleInfo
  /** Every cited work, once, at the end of the book. */
  bibliography?: BibliographySection
}

/** The book from parsing to the HTML trees: chapters as Markdown. */
export interface MarkdownBook extends BookFacts {
  chapters: MarkdownChapter[]
}

/** The whole book as the renderers see it: plain data, HTML trees, no Markdown. */
export interface Book extends BookFacts {
  chapters: Chapter[]
}
