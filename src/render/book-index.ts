/**
 * The back-of-book index, built from every chapter's index marks
 * (`[words]{.index …}`) and placed in the chapter whose role is `index`.
 *
 * Headings sort by the book's language (`Intl.Collator`), in letter groups;
 * sub-entries sit under their heading; `see` cross-references replace the
 * locators, `see also` follow them. The tree uses the EPUB Indexes
 * vocabulary as classes (`index-entry`, `index-term`, `index-locator` …;
 * epub/xhtml.ts makes them `epub:type`). Its locators link to the marks:
 * the web edition and the EPUB show the numbered section (or chapter) they
 * are in; print (print-document.ts) replaces them with page numbers from the
 * page plan, merged into ranges (`mergeIndexLocators`).
 */
import { createHash } from 'node:crypto'
import type { Element, ElementContent } from 'hast'
import { toHtml } from 'hast-util-to-html'
import { h } from 'hastscript'
import { labelsFor } from '../config/labels.ts'
import type { Book, Chapter, IndexMarkEntry } from '../model/types.ts'
import { slugify } from '../text/slug.ts'
import { anchorsAndLinks } from '../unified/anchors.ts'

/** One place an entry refers to: a mark, or a range from one mark to another. */
export interface IndexLocator {
  start: IndexMarkEntry
  end?: IndexMarkEntry
  chapter: Chapter
}

export interface IndexEntry {
  /** Element id in the index (`index-kim-il-sung`). */
  id: string
  term: string
  locators: IndexLocator[]
  see: string[]
  seeAlso: string[]
  subentries: IndexEntry[]
}

export interface IndexGroup {
  letter: string
  entries: IndexEntry[]
}

/** Whether the book has an index page to fill. */
function hasIndex(book: Pick<Book, 'chapters'>): boolean {
  return book.chapters.some((chapter) => chapter.role === 'index')
}

/** The index's entries, grouped by first letter, sorted for the book's language. */
function indexGroups(book: Pick<Book, 'chapters' | 'config'>): IndexGroup[] {
  const collator = new Intl.Collator(book.config.language, { sensitivity: 'base', numeric: true })
  const headings = new Map<string, IndexEntry>()
  const used = new Set<string>()
  const entry = (term: string, parent?: IndexEntry): IndexEntry => {
    const list = parent ? parent.subentries : undefined
    const found = list ? list.find((candidate) => candidate.term === term) : headings.get(term)
    if (found) return found
    let id = `index-${slugify(parent ? `${parent.term} ${term}` : term) || 'entry'}`
    for (let count = 2; used.has(id); count++) id = `${id.replace(/-\d+$/, '')}-${count}`
    used.add(id)
    const created: IndexEntry = { id, term, locators: [], see: [], seeAlso: [], subentries: [] }
    if (list) list.push(created)
    else headings.set(term, created)
    return created
  }
  const open = new Map<IndexEntry, IndexLocator[]>()
  for (const chapter of book.chapters) {
    for (const mark of chapter.indexMarks ?? []) {
      const heading = entry(mark.term)
      const target = mark.sub ? entry(mark.sub, heading) : heading
      if (mark.see) {
        if (!target.see.includes(mark.see)) target.see.push(mark.see)
        continue
      }
      if (mark.seeAlso && !target.seeAlso.includes(mark.seeAlso)) target.seeAlso.push(mark.seeAlso)
      if (mark.range === 'end') {
        // Closes the latest range of the same entry still open; an end with no start stands alone.
        const pending = open.get(target)?.pop()
        if (pending) {
          pending.end = mark
          continue
        }
      }
      const locator: IndexLocator = { start: mark, chapter }
      target.locators.push(locator)
      if (mark.range === 'start') open.set(target, [...(open.get(target) ?? []), locator])
    }
  }
  const sorted = (entries: IndexEntry[]) => entries.sort((a, b) => collator.compare(a.term, b.term) || a.term.localeCompare(b.term))
  const groups = new Map<string, IndexEntry[]>()
  for (const heading of sorted([...headings.values()])) {
    sorted(heading.subentries)
    const letter = groupLetter(heading.term)
    groups.set(letter, [...(groups.get(letter) ?? []), heading])
  }
  return [...groups].map(([letter, entries]) => ({ letter, entries }))
}

/** The letter an entry is filed under: its first letter without accents, capitalized; digits and signs under "#". */
function groupLetter(term: string): string {
  const first = term.normalize('NFD').replace(/\p{M}/gu, '').match(/[\p{L}\p{N}]/u)?.[0]
  return first && /\p{L}/u.test(first) ? first.toLocaleUpperCase() : '#'
}

/**
 * The index as HTML. `locator` gives a locator's content (the section for
 * the web edition and the EPUB; a page slot in print).
 */
export function indexTree(book: Pick<Book, 'chapters' | 'config'>, locator: (locator: IndexLocator) => ElementContent): Element {
  const { see, seeAlso } = labelsFor(book.config.language)
  const groups = indexGroups(book)
  const ids = new Map(groups.flatMap((group) => group.entries.map((item) => [item.term, item.id] as const)))
  const text = (value: string): ElementContent => ({ type: 'text', value })
  const xref = (kind: 'index-xref-preferred' | 'index-xref-related', label: string, terms: string[]): ElementContent[] =>
    terms.length === 0
      ? []
      : [
          text('. '),
          h('span', { className: [kind] }, [
            h('em', label),
            ' ',
            ...terms.flatMap((term, index) => [...(index > 0 ? ['; '] : []), ids.has(term) ? h('a', { href: `#${ids.get(term)}` }, term) : term]),
          ]),
        ]
  const item = (entry: IndexEntry): Element =>
    h('li', { className: ['index-entry'], id: entry.id }, [
      h('span', { className: ['index-term'] }, entry.term),
      ...(entry.locators.length > 0 ? [text(', '), h('span', { className: ['index-locator-list'] }, entry.locators.flatMap((place, index) => [...(index > 0 ? [', '] : []), locator(place)]))] : []),
      ...xref('index-xref-preferred', see, entry.see),
      ...xref('index-xref-related', seeAlso, entry.seeAlso),
      ...(entry.subentries.length > 0 ? [h('ul', { className: ['index-entry-list'] }, entry.subentries.map(item))] : []),
    ])
  return h(
    'div',
    { className: ['book-index'] },
    groups.map((group) => h('section', { className: ['index-group'] }, [h('h2', { className: ['index-letter'] }, group.letter), h('ul', { className: ['index-entry-list'] }, group.entries.map(item))])),
  )
}

/** A locator as the web edition and the EPUB show it: a link to the mark, named by its section or chapter. */
function sectionLocator(place: IndexLocator): ElementContent {
  const name = place.start.section ?? (place.chapter.number !== undefined ? String(place.chapter.number) : place.chapter.title)
  const end = place.end && place.end.section !== place.start.section ? `–${place.end.section ?? ''}` : ''
  // The range's end stays known to print, which numbers both ends.
  return h('a', { className: ['index-locator'], href: `#${place.start.id}`, ...(place.end ? { dataQuireEnd: place.end.id } : {}) }, `${name}${end}`)
}

/**
 * Page numbers "312–15" as the Chicago Manual abbreviates inclusive
 * numbers (9.64): all digits under 100 and from a multiple of 100; from
 * 101–109 (of each hundred) only what changes; otherwise at least two
 * digits.
 */
export function pageRange(first: number, last: number): string {
  if (first >= last) return String(first)
  const a = String(first)
  const b = String(last)
  if (first < 100 || first % 100 === 0 || a.length !== b.length) return `${a}–${b}`
  let same = 0
  const keep = first % 100 < 10 ? b.length - 1 : b.length - 2
  while (same < keep && a[same] === b[same]) same++
  return `${a}–${b.slice(same)}`
}

/**
 * Fill the book's index page (the chapter with `role: index`) with the
 * index, for every edition: its tree, ids and digest change with it, so
 * linking across pages and the page caches see the index as it is.
 */
export function placeIndex(book: Book): void {
  if (book.config.index && !hasIndex(book)) book.chapters.push(indexPage(book))
  const page = book.chapters.find((chapter) => chapter.role === 'index')
  if (!page) return
  const index = indexTree(book, sectionLocator)
  // After the page's own text (a headnote, if any).
  page.hast = { ...page.hast, children: [...page.hast.children, index] }
  const { anchors } = anchorsAndLinks(page.hast)
  page.anchors = anchors
  page.digest = createHash('sha256').update(page.digest).update(toHtml(index)).digest('hex')
}

/**
 * An index entry's printed locators: each mark's page, a range's two pages,
 * in book order; a page named twice once; runs of consecutive pages and
 * ranges that touch merged ("312–15"). Each links to its first mark.
 */
export function printedLocators(locators: { start: string; end?: string }[], folios: Map<string, string>): { text: string; href: string }[] {
  const runs: { first: number; last: number; href: string }[] = []
  const others: { text: string; href: string; after: number }[] = []
  for (const locator of locators) {
    const first = folios.get(locator.start)
    const last = locator.end ? folios.get(locator.end) : first
    if (first === undefined || last === undefined) continue
    const [from, to] = [Number(first), Number(last)]
    if (!Number.isInteger(from) || !Number.isInteger(to)) {
      // Roman folios (front matter): as printed, once each.
      const text = first === last ? first : `${first}–${last}`
      if (!others.some((other) => other.text === text)) others.push({ text, href: `#${locator.start}`, after: runs.length })
      continue
    }
    const previous = runs.at(-1)
    if (previous && from <= previous.last + 1 && from >= previous.first) previous.last = Math.max(previous.last, to)
    else runs.push({ first: from, last: Math.max(from, to), href: `#${locator.start}` })
  }
  const numbered = runs.map((run) => ({ text: pageRange(run.first, run.last), href: run.href }))
  // Front-matter pages come before the body's.
  return [...others.map(({ text, href }) => ({ text, href })), ...numbered]
}

/** The plan with the index's locator lists numbered from its folios. */
export function withLocators<Plan extends { folios: Map<string, string>; locators?: Map<string, { text: string; href: string }[]> }>(plan: Plan, lists: Map<string, { start: string; end?: string }[]>): Plan {
  if (lists.size > 0) plan.locators = new Map([...lists].map(([id, list]) => [id, printedLocators(list, plan.folios)]))
  return plan
}

/**
 * The index page `index: true` asks for when no chapter file is one: a
 * chapter of the back matter with a title and nothing else, which
 * `placeIndex` fills. It has no file; its name keeps clear of the web
 * edition's contents page (`index.html`).
 */
function indexPage(book: Book): Chapter {
  const title = labelsFor(book.config.language).index
  return {
    id: 'ch-book-index',
    numberSource: 'none',
    title,
    titleSource: 'front-matter',
    source: '(index)',
    slug: 'book-index',
    role: 'index',
    matter: 'back',
    paragraphMode: 'blank',
    meta: {},
    citationMap: {},
    sections: [],
    figures: [],
    indexMarks: [],
    citations: [],
    notes: [],
    assets: [],
    hast: { type: 'root', children: [] },
    digest: createHash('sha256').update(`index page ${title}`).digest('hex'),
    anchors: [],
    hrefs: [],
  }
}
