/**
 * The parts of the book every edition shows the same way, built once from
 * the model as hast: the title page, the table of contents and each
 * chapter's article. Editions differ only in where the parts go (pages of
 * a site, documents of an EPUB, one print document) and how links are
 * spelled, which the `PageLinks` they pass decide.
 */
import type { Element, ElementContent } from 'hast'
import { h } from 'hastscript'
import { printedIsbn } from '../config/isbn.ts'
import type { Labels } from '../config/labels.ts'
import type { ResolvedConfig } from '../config/schema.ts'
import type { Book, BookPart, Chapter, Section } from '../model/types.ts'
import { roleSemantics } from '../model/roles.ts'

/** How an edition addresses a chapter, a part's title page and the bibliography. */
export interface PageLinks {
  chapter(chapter: Chapter): string
  part(part: BookPart): string
  bibliography: string
}

/** The chapter label: "Chapter 7", or nothing for an unnumbered chapter. */
export function chapterLabel(chapter: Chapter, labels: Labels): string | undefined {
  if (chapter.letter !== undefined) return `${labels.appendix} ${chapter.letter}`
  return chapter.number === undefined ? undefined : `${labels.chapter} ${chapter.number}`
}

/** What the contents print before a chapter's title: its number, an appendix's letter, or nothing. */
export function chapterNumber(chapter: Chapter): string | undefined {
  return chapter.letter ?? (chapter.number === undefined ? undefined : String(chapter.number))
}

/** Names joined as the book's language joins them ("Ada Fenwick and Tomás Reyes"). */
export function joinNames(names: string[], language: string): string {
  return new Intl.ListFormat(language, { style: 'long', type: 'conjunction' }).format(names)
}

/** The names of the book's authors, in order. */
export function authorNames(config: Pick<ResolvedConfig, 'contributors'>): string[] {
  return config.contributors.filter((person) => person.role === 'author').map((person) => person.name)
}

/**
 * Title, subtitle, authors and publisher. Print sets the title as text
 * (`titleTag: 'p'`), so the PDF's outline starts at the contents.
 */
export function titlePage(book: Book, options: { element?: 'header' | 'section'; titleTag?: 'h1' | 'p' } = {}): Element {
  const { config } = book
  const authors = authorNames(config)
  return h(options.element ?? 'header', { className: ['title-page'] }, [
    h(options.titleTag ?? 'h1', { className: ['book-title'] }, config.title),
    config.subtitle ? h('p', { className: ['book-subtitle'] }, config.subtitle) : undefined,
    authors.length > 0 ? h('p', { className: ['book-author'] }, joinNames(authors, config.language)) : undefined,
    config.publisher ? h('p', { className: ['book-publisher'] }, config.publisher) : undefined,
  ].filter((node): node is Element => node !== undefined))
}

/**
 * The copyright page, one text for every edition: title and subtitle,
 * authors, other contributors with their role, rights, publisher and date
 * (as the book's language writes it), the ISBN with its label as the author
 * hyphenated it, and the colophon: book.yaml's `colophon:`, or the typeface
 * the edition is set in (none for an EPUB that leaves it to the reader) and
 * "Made with Quire."
 */
export function copyrightPage(book: Book, labels: Labels, options: { typeface?: string } = {}): Element {
  const { config } = book
  const paragraphs: ElementContent[] = [h('p', [h('i', config.title), config.subtitle ? `: ${config.subtitle}` : ''])]
  const authors = authorNames(config)
  if (authors.length) paragraphs.push(h('p', joinNames(authors, config.language)))
  for (const person of config.contributors) if (person.role !== 'author') paragraphs.push(h('p', `${person.name} (${labels.roles[person.role]})`))
  if (config.rights) paragraphs.push(h('p', config.rights))
  const published = [config.publisher, config.date ? formatDate(config.date, config.language) : undefined].filter(Boolean).join(', ')
  if (published) paragraphs.push(h('p', published))
  const isbn = config.identifier ? printedIsbn(config.identifier) : undefined
  if (isbn) paragraphs.push(h('p', `ISBN ${isbn}`))
  paragraphs.push(h('p', { className: ['colophon'] }, config.colophon ?? `${options.typeface ? `Set in ${options.typeface}. ` : ''}Made with Quire.`))
  return h('section', { className: ['copyright-page'], ariaLabel: labels.copyright }, paragraphs)
}

/** `2026-11-01` as the book's language writes it (“1 November 2026”); a year alone stays as it is. */
export function formatDate(date: string, language: string): string {
  const [year, month, day] = date.split('-')
  if (!month) return year!
  const options: Intl.DateTimeFormatOptions = day ? { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' } : { year: 'numeric', month: 'long', timeZone: 'UTC' }
  return new Intl.DateTimeFormat(language, options).format(new Date(`${year}-${month}-${day ?? '01'}T00:00:00Z`))
}

/** The file name of a part's title page in an edition of pages (`part-1.html`), clear of the chapters' `names`. */
export function partFileName(part: BookPart, extension: string, names: Set<string>): string {
  let name = `${part.id}.${extension}`
  for (let suffix = 2; names.has(name.toLowerCase()); suffix++) name = `${part.id}-${suffix}.${extension}`
  return name
}

/** A contents line: one chapter, or a part with its chapters. */
export type ContentsItem = { chapter: Chapter } | { part: BookPart; chapters: Chapter[] }

/** `chapters` (default: all) in order, each part's gathered under it: what a contents list nests. */
export function contentsItems(book: Book, chapters: Chapter[] = book.chapters): ContentsItem[] {
  const items: ContentsItem[] = []
  for (const chapter of chapters) {
    const part = chapter.part === undefined ? undefined : book.parts[chapter.part - 1]
    const last = items.at(-1)
    if (!part) items.push({ chapter })
    else if (last && 'part' in last && last.part === part) last.chapters.push(chapter)
    else items.push({ part, chapters: [chapter] })
  }
  return items
}

/**
 * The index page comes after the bibliography, last in the book, as the
 * Chicago Manual orders back matter; every other chapter before it.
 */
export function isLastPage(chapter: Chapter): boolean {
  return chapter.role === 'index'
}

/** The first chapter of each part: where its title page goes, before that chapter. */
export function partOpenings(book: Book): Map<Chapter, BookPart> {
  const openings = new Map<Chapter, BookPart>()
  for (const item of contentsItems(book)) if ('part' in item) openings.set(item.chapters[0]!, item.part)
  return openings
}

/**
 * A part's title page: its label ("Part One") and title, and its epigraph.
 * Its heading ranks above the chapters' (print's outline nests them under it).
 */
export function partPage(part: BookPart): Element {
  return h('section', { className: ['part-page'], id: part.id, role: 'doc-part', ariaLabelledBy: `${part.id}-title` }, [
    h('header', { className: ['part-header'] }, [h('p', { className: ['part-number'] }, part.label), h('h1', { id: `${part.id}-title`, className: ['part-title'] }, part.title)]),
    ...(part.epigraph
      ? [
          h('blockquote', { className: ['epigraph'], role: 'doc-epigraph' }, [
            h('p', part.epigraph),
            ...(part.epigraphSource ? [h('p', { className: ['epigraph-attribution'] }, `— ${part.epigraphSource}`)] : []),
          ]),
        ]
      : []),
  ])
}

/** "Part One: Containment", as the contents and the navigation list a part. */
export function partEntry(part: BookPart): ElementContent[] {
  return [h('span', { className: ['toc-number'] }, part.label), { type: 'text', value: ' ' }, h('span', { className: ['toc-title'] }, part.title)]
}

/** The table of contents: chapters (under their parts), their sections down to `toc.depth`, then the bibliography. */
export function contents(book: Book, labels: Labels, links: PageLinks, heading: 'h1' | 'h2' = 'h2'): Element {
  const chapterItem = (chapter: Chapter) =>
    h('li', { className: ['toc-chapter'] }, [
      h('a', { href: links.chapter(chapter) }, [
        chapterNumber(chapter) === undefined ? undefined : h('span', { className: ['toc-number'] }, chapterNumber(chapter)!),
        chapterNumber(chapter) === undefined ? undefined : ' ',
        h('span', { className: ['toc-title'] }, chapter.title),
      ].filter((node) => node !== undefined) as ElementContent[]),
      ...sectionList(links.chapter(chapter), chapter.sections, book.config.tocDepth),
    ])
  return h('nav', { className: ['toc'], ariaLabelledBy: 'toc-title', role: 'doc-toc' }, [
    h(heading, { id: 'toc-title' }, labels.contents),
    h(
      'ol',
      contentsItems(book, book.chapters.filter((chapter) => !isLastPage(chapter)))
        .map((item) =>
          'part' in item
            ? h('li', { className: ['toc-part'] }, [h('a', { href: links.part(item.part) }, partEntry(item.part)), h('ol', item.chapters.map(chapterItem))])
            : chapterItem(item.chapter),
        )
        .concat(
          book.bibliography
            ? [h('li', { className: ['toc-back-matter'] }, [h('a', { href: links.bibliography }, [h('span', { className: ['toc-title'] }, book.bibliography.title)])])]
            : [],
        )
        .concat(book.chapters.filter(isLastPage).map(chapterItem)),
    ),
  ])
}

/**
 * The list of figures, with `figures: numbered` and at least one figure:
 * each figure's number and caption, linked to it. Undefined otherwise.
 */
export function listOfFigures(book: Book, labels: Labels, links: PageLinks, heading: 'h1' | 'h2' = 'h2'): Element | undefined {
  if (book.config.figures !== 'numbered' || !book.chapters.some((chapter) => chapter.figures.length > 0)) return undefined
  return h('nav', { className: ['lof'], ariaLabelledBy: 'lof-title' }, [
    h(heading, { id: 'lof-title' }, labels.figures),
    h(
      'ol',
      book.chapters.flatMap((chapter) =>
        chapter.figures.map((figure) =>
          h('li', [
            h('a', { href: `${links.chapter(chapter)}#${figure.id}` }, [
              ...(figure.label ? [h('span', { className: ['lof-number'] }, figure.label), ' '] : []),
              h('span', { className: ['lof-caption'] }, figure.caption),
            ]),
          ]),
        ),
      ),
    ),
  ])
}

/** Nested lists of sections down to `depth` (2: sections, 3: subsections). */
export function sectionList(page: string, sections: Section[], depth: number): Element[] {
  const tree = sectionTree(sections, depth)
  return tree.length === 0 ? [] : [renderSections(page, tree)]
}

/** A section with the sections nested under it. */
export interface SectionNode {
  section: Section
  children: SectionNode[]
}

/** The sections down to `depth`, nested by depth (a 7.2.1 under its 7.2). */
export function sectionTree(sections: Section[], depth: number): SectionNode[] {
  // A heading with no text (`## `) has nothing to show in a contents list.
  const shown = sections.filter((section) => section.depth <= depth && (section.title !== '' || section.number !== undefined))
  if (shown.length === 0) return []
  const top = Math.min(...shown.map((section) => section.depth))
  const nodes: SectionNode[] = []
  for (let index = 0; index < shown.length; index++) {
    const section = shown[index]!
    if (section.depth !== top) continue
    const children: Section[] = []
    for (let next = index + 1; next < shown.length && shown[next]!.depth > top; next++) children.push(shown[next]!)
    nodes.push({ section, children: sectionTree(children, depth) })
  }
  return nodes
}

function renderSections(page: string, nodes: SectionNode[]): Element {
  return h(
    'ol',
    { className: ['toc-sections'] },
    nodes.map(({ section, children }) =>
      h('li', [
        h('a', { href: `${page}#${section.id}` }, [
          ...(section.number ? [h('span', { className: ['toc-number'] }, section.number), ' '] : []),
          h('span', { className: ['toc-title'] }, section.title),
        ]),
        ...(children.length > 0 ? [renderSections(page, children)] : []),
      ]),
    ),
  )
}

/**
 * A chapter: its label and title, then its body (notes and chapter
 * bibliography included). The body is a copy: editions rewrite links in
 * their pages, and the model must stay as parsed for the next edition.
 */
export function chapterArticle(chapter: Chapter, labels: Labels): Element {
  const label = chapterLabel(chapter, labels)
  // A preface or an appendix is a section with its DPUB-ARIA role (which an <article> may not carry); the EPUB adds the matching epub:type.
  const { ariaRole } = roleSemantics(chapter.role)
  const className = ['chapter', ...(chapter.role ? [`role-${chapter.role}`] : [])]
  return h(chapter.role ? 'section' : 'article', { className, id: chapter.id, ariaLabelledBy: `${chapter.id}-title`, ...(ariaRole ? { role: ariaRole } : {}) }, [
    h('header', { className: ['chapter-header'] }, [
      label ? h('p', { className: ['chapter-number'] }, label) : undefined,
      h('h1', { id: `${chapter.id}-title`, className: ['chapter-title'] }, chapter.title),
    ].filter((node): node is Element => node !== undefined)),
    ...(structuredClone(chapter.hast.children) as ElementContent[]),
  ])
}
