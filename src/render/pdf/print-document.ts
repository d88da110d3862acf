/**
 * The print edition as one HTML document, in the order of a bound book:
 * half title, its blank verso, title page, copyright page, contents, then
 * each chapter and the bibliography as a "part" that opens on a right-hand
 * page. Each part carries its named page (`page: ch-3`), which gives it its
 * running head. Contents entries hold an empty `.toc-page` for the page
 * number the paginator fills in once it knows where the heading lands.
 */
import { pathToFileURL } from 'node:url'
import path from 'node:path'
import type { Element, ElementContent, Root } from 'hast'
import { h } from 'hastscript'
import { visit } from 'unist-util-visit'
import { labelsFor, type Labels } from '../../config/labels.ts'
import type { Book, Chapter } from '../../model/types.ts'
import { isOrnamental } from '../../model/roles.ts'
import { chapterArticle, chapterNumber, contentsItems, isLastPage, copyrightPage, partOpenings, partPage, sectionTree, titlePage, type SectionNode } from '../book-parts.ts'
import { linkAcrossPages } from '../cross-links.ts'
import { QUIRE_VERSION } from '../../files/paths.ts'
import { drawableText } from '../../fonts/coverage.ts'
import { bookFonts, type BookFonts } from '../../fonts/families.ts'
import { decodeUri } from '../../manuscript/uri.ts'
import { storeNotes, type NotePair } from './footnotes.ts'

/** One page-starting block of the print document, in order. */
export interface PrintPart {
  /** Element id of the part's block. */
  id: string
  /** Named page (`front`, `toc`, `ch-2`, `back-1`). */
  page: string
  /** Whether the part counts in the front matter's roman folios rather than the body's. */
  front: boolean
  /** Whether it must open on a right-hand (odd) page. */
  recto: boolean
  /** Running head for its right-hand pages (the chapter title), none for front matter. */
  runningHead?: string
  /** A chapter inside a part of the book, which a print job may not open: each job's outline must hold whole parts (jobs.ts). */
  withinPart?: boolean
}

export interface PrintDocument {
  tree: Root
  /** The document's head, for the renderer's stylesheets. */
  head: Element
  /** The document's body: what is typeset (hyphenated, checked for glyphs). */
  body: Element
  parts: PrintPart[]
  /** Ids the contents lists, whose page numbers it shows, then the note calls and notes (footnotes.ts). */
  targets: string[]
  /** With footnotes: each note's first call and the note, which must print on one page. */
  notePairs: NotePair[]
  /** The index's locator lists (`data-quire-locators`), each locator a mark or a range of two, to number from the plan. */
  indexLists: Map<string, { start: string; end?: string }[]>
  /** Page numbers in the text ({.page} links, the index), which change its length once filled in. */
  fillsText: boolean
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i

/** Build the print document for a book. */
export function printDocument(book: Book, fonts: BookFonts = bookFonts(book.config)): PrintDocument {
  const { config } = book
  const labels = labelsFor(config.language)
  const parts: PrintPart[] = []
  const body: Element[] = []
  const add = (part: PrintPart, element: Element) => {
    parts.push(part)
    element.properties.id = part.id
    element.properties.className = [...((element.properties.className as string[] | undefined) ?? []), 'part']
    element.properties.style = `page: ${part.page}`
    body.push(element)
  }

  add({ id: 'half-title', page: 'front', front: true, recto: true }, h('section', { className: ['half-title'] }, [h('p', { className: ['book-title'] }, config.title)]))
  add({ id: 'half-title-verso', page: 'front', front: true, recto: false }, h('div', { className: ['blank-page'] }))
  add({ id: 'title-page', page: 'front', front: true, recto: true }, titlePage(book, { element: 'section', titleTag: 'p' }))
  add({ id: 'copyright-page', page: 'front', front: true, recto: false }, copyrightPage(book, labels, { typeface: fonts.body.family }))
  const openings = partOpenings(book)
  const notePairs: NotePair[] = []
  const chapterPart = (chapter: Chapter) => {
    const index = book.chapters.indexOf(chapter)
    // A part's title page opens on a recto with no running head or folio, and counts in the body's folios.
    const opens = openings.get(chapter)
    if (opens) add({ id: opens.id, page: 'part', front: false, recto: true }, partPage(opens))
    // The article keeps the chapter's id for links; the part wrapper gets its own.
    const wrapper = h('div', { className: ['chapter-part'] }, [chapterArticle(chapter, labels)])
    if (config.notes.print === 'footnotes') notePairs.push(...storeNotes(wrapper))
    // Under a part, the chapter's headings rank one lower, so the outline (made from heading levels) nests them under it.
    if (chapter.part !== undefined) rankBelowPart(wrapper)
    // A dedication or an epigraph: a recto of its own, centred, with no running head or folio.
    if (isOrnamental(chapter.role) && chapter.matter === 'front') add({ id: `part-${chapter.id}`, page: 'front', front: true, recto: true }, wrapper)
    // Other front matter (a preface) has running heads and roman folios; the body's folio 1 is the first page after it.
    else add({ id: `part-${chapter.id}`, page: `ch-${index + 1}`, front: chapter.matter === 'front', recto: true, runningHead: drawableText(chapter.title, fonts), ...(chapter.part !== undefined ? { withinPart: true } : {}) }, wrapper)
  }
  // Dedication and epigraph before the contents, the rest of the front matter after, as books are bound.
  const front = book.chapters.filter((chapter) => chapter.matter === 'front')
  for (const chapter of front.filter((chapter) => isOrnamental(chapter.role))) chapterPart(chapter)
  const targets: string[] = []
  add({ id: 'contents', page: 'toc', front: true, recto: true }, contents(book, labels, targets))
  const figures = figureList(book, labels, targets)
  if (figures) add({ id: 'list-of-figures', page: 'toc', front: true, recto: true }, figures)
  for (const chapter of front.filter((chapter) => !isOrnamental(chapter.role))) chapterPart(chapter)
  // The index comes last, after the bibliography, as the Chicago Manual orders back matter; its length then moves no other page.
  for (const chapter of book.chapters.filter((chapter) => chapter.matter !== 'front' && !isLastPage(chapter))) chapterPart(chapter)
  if (book.bibliography) {
    add({ id: 'part-bibliography', page: 'back-1', front: false, recto: true, runningHead: drawableText(book.bibliography.title, fonts) }, h('div', { className: ['back-part'] }, [structuredClone(book.bibliography.hast)]))
  }
  for (const chapter of book.chapters.filter(isLastPage)) chapterPart(chapter)

  const head = h('head', [h('meta', { charSet: 'utf-8' }), h('meta', { name: 'generator', content: `Quire ${QUIRE_VERSION}` }), h('title', config.title)])
  const bodyElement = h('body', body)
  const tree: Root = { type: 'root', children: [{ type: 'doctype' }, h('html', { lang: config.language }, [head, bodyElement])] }
  pointLinksIntoDocument(tree, book)
  pointImagesAtFiles(tree, config.root)
  const references = pageReferences(bodyElement, labels.page, targets)
  const indexLists = indexSlots(bodyElement, targets)
  // The notes' pages are checked against the print as the contents' are.
  targets.push(...notePairs.flatMap((pair) => [pair.call, pair.note]))
  return { tree, head, body: bodyElement, parts, targets, notePairs, indexLists, fillsText: references > 0 || indexLists.size > 0 }
}

/** The contents: chapters (under their parts) and their sections down to `toc.depth`, then the bibliography, each with a page number to fill in. */
function contents(book: Book, labels: Labels, targets: string[]): Element {
  const entry = (id: string, number: string | undefined, title: string) => tocEntry(id, number, title, targets)
  const sections = (nodes: SectionNode[]): Element[] =>
    nodes.length === 0
      ? []
      : [h('ol', { className: ['toc-sections'] }, nodes.map(({ section, children }) => h('li', [entry(section.id, section.number, section.title), ...sections(children)])))]
  const chapterItem = (chapter: Chapter) =>
    h('li', { className: ['toc-chapter'] }, [entry(chapter.id, chapterNumber(chapter), chapter.title), ...sections(sectionTree(chapter.sections, book.config.tocDepth))])
  // The dedication and the epigraph come before the contents and are not listed in them.
  const listed = book.chapters.filter((chapter) => !(isOrnamental(chapter.role) && chapter.matter === 'front') && !isLastPage(chapter))
  const items = contentsItems(book, listed).map((item) =>
    'part' in item ? h('li', { className: ['toc-part'] }, [entry(item.part.id, item.part.label, item.part.title), h('ol', item.chapters.map(chapterItem))]) : chapterItem(item.chapter),
  )
  if (book.bibliography) items.push(h('li', { className: ['toc-chapter', 'toc-back-matter'] }, [entry(book.bibliography.hast.properties.id as string, undefined, book.bibliography.title)]))
  items.push(...book.chapters.filter(isLastPage).map(chapterItem))
  return h('nav', { className: ['toc'], role: 'doc-toc', ariaLabelledBy: 'toc-title' }, [h('h1', { id: 'toc-title' }, labels.contents), h('ol', items)])
}

/** Every heading in `element` one rank lower (`aria-level`, which the outline and the tags read; the look stays). */
function rankBelowPart(element: Element): void {
  visit(element, 'element', (node) => {
    const rank = /^h([1-6])$/.exec(node.tagName)?.[1]
    if (rank) node.properties.ariaLevel = String(Number(rank) + 1)
  })
}

/** A contents line: number and title, a dotted leader, and the page number the plan fills in. */
function tocEntry(id: string, number: string | undefined, title: string, targets: string[]): Element {
  targets.push(id)
  return h('a', { href: `#${id}`, className: ['toc-entry'] }, [
    h('span', { className: ['toc-label'] }, [...(number ? [h('span', { className: ['toc-number'] }, number), ' '] : []), h('span', { className: ['toc-title'] }, title)]),
    h('span', { className: ['toc-leader'], ariaHidden: 'true' }),
    h('span', { className: ['toc-page'], dataQuireTarget: id }),
  ])
}

/** The list of figures (with `figures: numbered`), each with a page number to fill in like the contents'. */
function figureList(book: Book, labels: Labels, targets: string[]): Element | undefined {
  if (book.config.figures !== 'numbered') return undefined
  const items = book.chapters.flatMap((chapter) =>
    chapter.figures.map((figure) => h('li', { className: ['lof-entry'] }, [tocEntry(figure.id, figure.label, figure.caption, targets)])),
  )
  if (items.length === 0) return undefined
  return h('nav', { className: ['toc', 'lof'], ariaLabelledBy: 'lof-title' }, [h('h1', { id: 'lof-title' }, labels.figures), h('ol', items)])
}

/** Links to other chapters' Markdown files become fragments of this one document; links into nothing are marked unresolved. */
function pointLinksIntoDocument(tree: Root, book: Book): void {
  const chapterOf = new Map(book.chapters.map((chapter) => [chapter.source, chapter]))
  visit(tree, 'element', (node) => {
    const href = node.properties.href
    if (node.tagName !== 'a' || typeof href !== 'string' || SCHEME.test(href) || href.startsWith('#')) return
    const [file = '', fragment] = href.split('#', 2)
    const chapter = chapterOf.get(decodeUri(file).replace(/^\.\//, ''))
    if (chapter) node.properties.href = `#${fragment || chapter.id}`
  })
  linkAcrossPages([{ path: 'book.html', tree }], { unlinked: new Set(book.chapters.flatMap((chapter) => chapter.assets)) })
}

/**
 * Images are manuscript-relative paths (already decoded and checked by the
 * manuscript stage); the print page is loaded from elsewhere, so give them
 * file URLs. Anything else is left for the page's request filter to refuse.
 */
function pointImagesAtFiles(tree: Root, root: string): void {
  visit(tree, 'element', (node) => {
    if (node.tagName !== 'img' || typeof node.properties.src !== 'string') return
    const src = node.properties.src
    if (SCHEME.test(src) || path.isAbsolute(src)) return
    node.properties.src = pathToFileURL(path.join(root, src)).href
  })
}

/** Remove the notes' links back to the text: "↩" means nothing on paper, and the text face has no glyph for it. */
export function dropBacklinks(tree: Root): void {
  const isBacklink = (node: ElementContent | undefined) => node?.type === 'element' && node.tagName === 'a' && (node.properties.className as string[] | undefined)?.includes('note-backlink') === true
  visit(tree, 'element', (node) => {
    if (!node.children.some(isBacklink)) return
    // The space before each goes with it.
    node.children = node.children.filter((child, index, all) => !isBacklink(child) && !(child.type === 'text' && child.value === ' ' && isBacklink(all[index + 1])))
  })
}

/**
 * A link written with `{.page}` gets the page its target is printed on:
 * "§ 4.2, p. 312". The number is a slot the plan fills, as the contents'
 * are; the target joins the ids whose pages the print is checked against.
 */
function pageReferences(body: Element, abbreviation: string, targets: string[]): number {
  let count = 0
  const known = new Set(targets)
  visit(body, 'element', (node) => {
    const href = node.properties.href
    if (node.tagName !== 'a' || !(node.properties.className as string[] | undefined)?.includes('page-ref') || typeof href !== 'string' || !href.startsWith('#')) return
    const target = decodeUri(href.slice(1))
    if (!known.has(target)) targets.push(target)
    known.add(target)
    count++
    node.children.push(h('span', { className: ['page-ref-page'] }, [`, ${abbreviation}\u00A0`, h('span', { className: ['page-slot'], dataQuireTarget: target })]))
  })
  return count
}

/**
 * The index's locators become page numbers: each list is numbered from the
 * plan (`printedLocators` merges them into ranges), so it keeps the marks
 * it is made of; every mark is a target.
 */
function indexSlots(body: Element, targets: string[]): Map<string, { start: string; end?: string }[]> {
  const lists = new Map<string, { start: string; end?: string }[]>()
  const known = new Set(targets)
  visit(body, 'element', (node) => {
    if (!(node.properties.className as string[] | undefined)?.includes('index-locator-list')) return
    const locators = node.children.flatMap((child) => {
      if (child.type !== 'element' || child.tagName !== 'a' || typeof child.properties.href !== 'string') return []
      const start = decodeUri(child.properties.href.replace(/^.*#/, ''))
      const end = typeof child.properties.dataQuireEnd === 'string' ? child.properties.dataQuireEnd : undefined
      return [{ start, ...(end ? { end } : {}) }]
    })
    const id = `locators-${lists.size + 1}`
    lists.set(id, locators)
    for (const locator of locators) {
      for (const mark of [locator.start, locator.end]) {
        if (mark && !known.has(mark)) targets.push(mark)
        if (mark) known.add(mark)
      }
    }
    node.properties.dataQuireLocators = id
    node.children = []
    return 'skip'
  })
  // Every mark is checked against the printed PDF by its destination, which Chromium makes only for a link's target.
  const marks = [...lists.values()].flatMap((list) => list.flatMap((locator) => [locator.start, ...(locator.end ? [locator.end] : [])]))
  visit(body, 'element', (node) => {
    if (!(node.properties.className as string[] | undefined)?.includes('book-index')) return
    node.children.push(h('div', { className: ['quire-link-targets'], hidden: true }, marks.map((mark) => h('a', { href: `#${mark}` }))))
    return 'skip'
  })
  return lists
}
