/**
 * Module augmentations: the custom mdast nodes Quire's plugins create, and
 * the typed `file.data` through which plugins hand results to later stages.
 */
import type { ChapterRole } from '../model/roles.ts'
import type { Element, ElementContent } from 'hast'
import type { FootnoteDefinition, Heading, Image, Literal, Parent, PhrasingContent } from 'mdast'
import type { Node, Position } from 'unist'
import type { CitationItem, CitationMapEntry, FigureEntry, IndexMarkEntry, NumberSource, Section } from '../model/types.ts'

/** A citation marker parsed from the text; resolved later against the bibliography. */
export interface Citation extends Literal {
  type: 'citation'
  /** The marker as written (`[citation 4]`, `[see @key, p. 3]`). */
  value: string
  kind: 'marker' | 'key'
  marker?: number
  items?: CitationItem[]
  inText?: boolean
  /** A lead-in word ("See") moved into the citation from the sentence around it. */
  leadIn?: string
  /** Set by the citation resolver. Absent or `unresolved`: rendered as a visible "[?]". */
  resolved?: ResolvedCitation
}

/** How a citation is rendered once resolved against the bibliography. */
export type ResolvedCitation =
  /** In-text styles, and any citation inside a note: formatted text in place. */
  | { as: 'text'; hast: ElementContent[] }
  /** Note styles: a note reference, after the author's name for `@key says`. */
  | { as: 'note'; note: NoteLink; lead?: ElementContent[] }
  | { as: 'unresolved' }

/** A reference from the text to an endnote. */
export interface NoteLink {
  number: number
  /** Id of the note (`ch-3-note-2`). */
  noteId: string
  /** Id of this reference to it, for the note's link back (`ch-3-noteref-2`). */
  refId: string
}

/**
 * Words marked for the index, `[words]{.index …}` (remark-attributes.ts):
 * filed under `term` (else the words themselves) and `sub`, or a
 * cross-reference (`see`, `seeAlso`), or one end of a page range.
 */
export interface IndexMark extends Parent {
  type: 'indexMark'
  children: PhrasingContent[]
  term?: string
  sub?: string
  see?: string
  seeAlso?: string
  range?: 'start' | 'end'
}

/** The endnotes of a chapter, appended to its tree by the citation resolver. */
export interface Endnotes extends Node {
  type: 'endnotes'
  /** Id of the section; the heading gets `<id>-title`. */
  id: string
  title: string
  /** Accessible name of the links back to the text. */
  backLabel: string
  notes: EndnoteEntry[]
}

export interface EndnoteEntry {
  number: number
  id: string
  /** Ids of the references to this note, for links back. */
  refIds: string[]
  /** A citation note: its formatted text. */
  hast?: ElementContent[]
  /** An author's footnote: its Markdown, rendered in place. */
  definition?: FootnoteDefinition
}

/** Markup built outside unified (a chapter's list of works cited), placed as is. */
export interface HastBlock extends Node {
  type: 'hastBlock'
  hast: Element
}

/** The run-in dateline that opens a scene ("Vienna, May 1961."). */
export interface Dateline extends Parent {
  type: 'dateline'
  children: PhrasingContent[]
}

/** The visible number of a numbered section heading (`7.2`), marked up apart from its title. */
export interface SectionNumber extends Literal {
  type: 'sectionNumber'
}

/** An image with its caption (`remarkFigures`); its id and number come from `remarkFigureNumbers`. */
export interface Figure extends Parent {
  type: 'figure'
  children: (Image | FigureCaption)[]
}

/** A figure's caption: the image's title, or the italic caption line after it. */
export interface FigureCaption extends Parent {
  type: 'figureCaption'
  children: PhrasingContent[]
}

/** The number Quire gives a figure's caption ("Figure 3.2."), with `figures: numbered`. */
export interface FigureLabel extends Literal {
  type: 'figureLabel'
}

declare module 'mdast' {
  interface BlockContentMap {
    figure: Figure
  }
  interface PhrasingContentMap {
    indexMark: IndexMark
    figureLabel: FigureLabel
    citation: Citation
    dateline: Dateline
    sectionNumber: SectionNumber
  }
  interface RootContentMap {
    indexMark: IndexMark
    figure: Figure
    figureCaption: FigureCaption
    figureLabel: FigureLabel
    endnotes: Endnotes
    hastBlock: HastBlock
    citation: Citation
    dateline: Dateline
    sectionNumber: SectionNumber
  }
  interface FootnoteReferenceData {
    /** Set by the citation resolver: footnotes share the chapter's note numbers. */
    quireNote?: NoteLink
  }
  interface LinkData {
    /** `{.page}` after the link: print adds the page its target is on. */
    pageReference?: boolean
  }
  interface HeadingData {
    /** Set on headings made from numbered section lines. */
    sectionNumber?: string
  }
}

/** The front matter keys Quire reads; anything else is kept in `meta`. */
export interface FrontMatter {
  title?: string
  /** A number, or `false` for an unnumbered chapter (a prologue). */
  number?: number | false
  citations?: Record<number, CitationMapEntry>
  paragraphs?: 'auto' | 'lines' | 'blank'
  /** What the chapter is in the book (a preface, an appendix), and where `role:` is written (even when its value was refused). */
  role?: ChapterRole
  rolePoint?: { line: number; column: number }
  /** `part:`: this chapter opens a part of the book (see parse/parts.ts), and where that is written. */
  part?: { title: string; epigraph?: string; epigraphSource?: string }
  partPoint?: { line: number; column: number }
  meta: Record<string, unknown>
  /**
   * Why the block could not be read as written (reported at the spot): no
   * closing `---`, or a YAML syntax error. What would follow from a key it
   * lost (a title from the file name, an unmapped marker) is not reported.
   */
  unread?: 'unclosed' | 'syntax'
}


declare module 'vfile' {
  interface DataMap {
    /** Set by remarkFrontMatter. */
    frontMatter: FrontMatter
    /** Set by remarkLineParagraphs. */
    paragraphMode: 'lines' | 'blank'
    /** Set by remarkChapterTitle when the chapter has a title heading. */
    titleHeading: { text: string; number?: number; heading?: Heading }
    /** Set by remarkSectionLines. */
    chapterNumber: { value?: number; source: NumberSource }
    /** Set by remarkHeadingIds: every section heading, in order. */
    sections: Section[]
    /** Set by remarkFigureNumbers: every figure, in order. */
    figures: FigureEntry[]
    /** Set by remarkIndexMarks: every index mark, in order. */
    indexMarks: IndexMarkEntry[]
  }
}

declare module 'vfile' {
  interface DataMap {
    /** Set by rehypeLocalAssets: manuscript-relative paths of the images used. */
    assets: string[]
    /** Set by rehypeLocalAssets: the absolute paths it looked at (images and linked files). */
    examined: string[]
    /** Set by remarkIgnoreComments: the `<!-- quire-ignore … -->` comments, in order. */
    ignoreComments: IgnoreComment[]
  }
}

/** A comment that silences one occurrence of each rule it names. */
export interface IgnoreComment {
  rules: string[]
  /** Where the comment is, for reporting it. */
  position: Position
  /** Messages that start from this offset (the comment's end) … */
  from: number
  /** … up to this one (the end of the line it applies to) are in reach. */
  to: number
  /** Text follows the comment inside the same raw HTML block (so it is not Markdown). */
  textAfter?: boolean
}

declare module 'hast' {
  interface ElementData {
    /** An image with no usable alt text (reported by `image-alt-missing`). */
    quireUndescribed?: boolean
  }
}
