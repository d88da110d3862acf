/**
 * Module augmentations: the custom mdast nodes Quire's plugins create, and
 * the typed `file.data` through which plugins hand results to later stages.
 */
import type { Literal, Parent, PhrasingContent } from 'mdast'
import type { CitationItem, CitationMapEntry, NumberSource, Section, TitleSource } from '../model/types.ts'

/** A citation marker parsed from the text; resolved later against the bibliography. */
export interface Citation extends Literal {
  type: 'citation'
  /** The marker as written (`[citation 4]`, `[see @key, p. 3]`). */
  value: string
  kind: 'marker' | 'key'
  marker?: number
  items?: CitationItem[]
  inText?: boolean
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

declare module 'mdast' {
  interface PhrasingContentMap {
    citation: Citation
    dateline: Dateline
    sectionNumber: SectionNumber
  }
  interface RootContentMap {
    citation: Citation
    dateline: Dateline
    sectionNumber: SectionNumber
  }
  interface ParagraphData {
    /** Set by remarkLineParagraphs on pieces split from a paragraph's later lines. */
    quireContinuation?: boolean
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
  meta: Record<string, unknown>
}

/** What the file name of a chapter says. */
export interface ChapterFileData {
  fileNumber?: number
  nameSlug: string
  language: string
}

declare module 'vfile' {
  interface DataMap {
    /** Set by the loader before the plugins run. */
    chapterFile: ChapterFileData
    /** Set by remarkFrontMatter. */
    frontMatter: FrontMatter
    /** Set by remarkLineParagraphs. */
    paragraphMode: 'lines' | 'blank'
    /** Set by remarkChapterTitle when the chapter has a title heading. */
    titleHeading: { text: string; number?: number }
    /** Set by remarkSectionLines. */
    chapterNumber: { value?: number; source: NumberSource }
    /** Set by remarkHeadingIds: every section heading, in order. */
    sections: Section[]
    /** Set by remarkChapterTitle or the loader. */
    title: { text: string; source: TitleSource }
  }
}

declare module 'vfile' {
  interface DataMap {
    /** Set by rehypeLocalAssets: manuscript-relative paths of the images used. */
    assets: string[]
  }
}
