/**
 * Resolve every parsed citation against the bibliography, in reading order
 * (pandoc's `processCitations`): map chapter-local markers through the front
 * matter, format with citeproc, number the notes of each chapter, and build
 * the bibliography. The results go back into the mdast (resolved citations,
 * an `endnotes` node per chapter) and into the book model, so every renderer
 * gets them from the same trees.
 */
import type { ElementContent } from 'hast'
import { toString as hastToString } from 'hast-util-to-string'
import type { FootnoteDefinition, FootnoteReference, Nodes, Root } from 'mdast'
import { EXIT, SKIP, visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { report } from '../diagnostics/rules.ts'
import { nearest } from '../diagnostics/suggest.ts'
import type { MarkdownBook, MarkdownChapter, Note } from '../model/types.ts'
import { labelsFor } from '../config/labels.ts'
import type { Citation, EndnoteEntry } from '../unified/types.ts'
import { buildBibliography, referenceIds } from './bibliography.ts'
import { cslHtmlToHast } from './csl-html.ts'
import type { CiteCluster, CiteItem } from './engine.ts'
import { createCitationFormatter, type CitationFormatter, type CiteThreads } from './formatter.ts'
import type { CacheStore } from '../cache/store.ts'
import { liftLeadIns } from './lead-ins.ts'
import { parseLocator } from './locators.ts'
import { notePlacementFor, placeNoteReference } from './note-placement.ts'
import type { CslStyle } from './styles.ts'
import type { Reference } from './types.ts'
import type { XmlJson } from 'citeproc'

export interface ResolveOptions {
  references: Map<string, Reference>
  /** The style, or undefined when it could not be loaded (already reported): citations stay unresolved. */
  style: CslStyle | undefined
  locale: XmlJson | undefined
  /** The bibliography files as book.yaml names them, for messages. */
  bibliographyNames: string[]
  /** Vfiles of the bibliography files, by path, for "never cited" warnings. */
  referenceFiles: Map<string, VFile>
  /**
   * Bibliography files that could not be read (already reported): a key may
   * be in one of them, so no key is called unknown and no entry uncited.
   */
  unread?: string[]
}

/** A registered citation waiting for its final text (citeproc may still revise it). */
interface Pending {
  node: Citation
  chapter: MarkdownChapter
  /** The endnote this citation fills, for note styles. */
  entry?: EndnoteEntry
  /** Inside a note, a citation mid-sentence loses the style's closing full stop. */
  trimStop: boolean
  lead?: ElementContent[]
}

/**
 * Resolve the citations of every chapter; diagnostics go to each chapter's
 * vfile. With `format: false` (what `check` asks) the same keys are
 * matched and the same problems reported, but nothing is formatted: no
 * citeproc, no notes' text, no bibliography.
 */
export async function resolveCitations(
  book: MarkdownBook,
  files: Map<string, VFile>,
  options: ResolveOptions & { format?: boolean; cache?: CacheStore; pool?: (large: boolean) => CiteThreads | undefined },
): Promise<void> {
  const { style, references } = options
  const cites = book.chapters.some((chapter) => chapter.citations.length > 0 || hasFootnotes(chapter.mdast))
  if (!cites) {
    warnUncited(options, new Set())
    return
  }
  const labels = labelsFor(book.config.language)
  const placement = notePlacementFor(book.config.language)
  const ids = referenceIds([...references.keys()])
  const linkTarget = (key: string) => ids.get(key)!
  const engine = style && options.locale && options.format !== false
    ? createCitationFormatter({
        style,
        locale: options.locale,
        language: book.config.language,
        references,
        ...(style.class === 'in-text' ? { linkTarget } : {}),
        ...(options.cache ? { cache: options.cache } : {}),
        ...(options.pool ? { pool: options.pool } : {}),
      })
    : undefined
  const pending = new Map<string, Pending>()
  // Each batch is formatted from a fresh citeproc state, once every chapter is read.
  const batches: CiteCluster[][] = []
  let batch: CiteCluster[] = []
  const flush = () => {
    if (batch.length > 0) batches.push(batch)
    batch = []
  }
  const cited = new Set<string>()
  const citedBy = new Map<MarkdownChapter, Set<string>>()
  const notesBy = new Map<MarkdownChapter, EndnoteEntry[]>()

  for (const chapter of book.chapters) {
    const file = files.get(chapter.source)!
    const chapterKeys = new Set<string>()
    citedBy.set(chapter, chapterKeys)
    if (style) liftLeadIns(chapter.mdast, style.class)
    const context: ChapterContext = { chapter, file, options, engine, counter: 0 }
    const register = (node: Citation, noteIndex: number, extra: Omit<Pending, 'node' | 'chapter'>) => {
      const items = citationItems(node, context, extra.entry !== undefined)
      // Only checking: the keys count as cited (for `reference-uncited`), nothing is formatted.
      if (items && style && options.format === false) for (const item of items) cited.add(item.key)
      if (!items || !engine) {
        node.resolved = { as: 'unresolved' }
        return false
      }
      for (const item of items) {
        cited.add(item.key)
        chapterKeys.add(item.key)
      }
      const id = `${chapter.id}-cite-${++context.counter}`
      pending.set(id, { node, chapter, ...extra })
      batch.push({ id, items, noteIndex })
      return true
    }

    const notes: EndnoteEntry[] = []
    notesBy.set(chapter, notes)
    const definitions = new Map<string, FootnoteDefinition>()
    visit(chapter.mdast, 'footnoteDefinition', (node) => {
      if (!definitions.has(node.identifier)) definitions.set(node.identifier, node)
    })
    const footnotes = new Map<string, EndnoteEntry>()
    const newNote = () => {
      const number = notes.length + 1
      const entry: EndnoteEntry = { number, id: `${chapter.id}-note-${number}`, refIds: [`${chapter.id}-noteref-${number}`] }
      notes.push(entry)
      return entry
    }

    visit(chapter.mdast, (node, index, parent) => {
      if (node.type === 'footnoteDefinition') return SKIP
      if (node.type === 'footnoteReference') {
        const reference = node as FootnoteReference
        const known = footnotes.get(reference.identifier)
        const entry = known ?? newNote()
        if (known) entry.refIds.push(`${entry.refIds[0]}-${entry.refIds.length + 1}`)
        reference.data = { ...reference.data, quireNote: { number: entry.number, noteId: entry.id, refId: entry.refIds.at(-1)! } }
        if (known) return
        footnotes.set(reference.identifier, entry)
        const definition = definitions.get(reference.identifier)
        if (!definition) return
        entry.definition = definition
        // Citations inside an author's note are formatted in place, as that note's citations.
        visit(definition, 'citation', (inner, innerIndex, innerParent) => {
          const next = innerParent && innerIndex !== undefined ? innerParent.children[innerIndex + 1] : undefined
          register(inner, entry.number, { trimStop: next !== undefined && !(next.type === 'text' && next.value.trim() === '') })
        })
        return
      }
      if (node.type !== 'citation' || !parent || index === undefined) return
      if (style?.class === 'note') {
        const entry = newNote()
        const lead = node.inText && engine ? authorLead(node, context) : undefined
        if (register(node, entry.number, { entry, trimStop: false, ...(lead ? { lead } : {}) })) {
          node.resolved = { as: 'note', note: { number: entry.number, noteId: entry.id, refId: entry.refIds[0]! } }
          if (!node.inText) return placeNoteReference(parent, index, placement) + 1
        } else {
          notes.pop()
        }
        return
      }
      const lead = node.inText && engine ? authorLead(node, context) : undefined
      register(node, 0, { trimStop: false, ...(lead ? { lead } : {}) })
    })

    if (notes.length > 0) {
      chapter.mdast.children.push({ type: 'endnotes', id: `${chapter.id}-notes`, title: labels.notes, backLabel: labels.backToText, notes })
    }
    // Note styles start afresh in each chapter (Chicago: the first note citing a work
    // in a chapter gives it in full); author-date styles disambiguate across the book.
    if (style?.class === 'note') flush()
  }
  flush()
  const latest = engine ? await engine.format(batches) : new Map<string, string>()

  // citeproc may revise earlier citations (disambiguation), so texts are placed only now.
  for (const [id, item] of pending) {
    let html = latest.get(id) ?? ''
    if (item.trimStop && style?.affixes.suffix === '.') html = html.replace(/\.$/, '')
    const hast = cslHtmlToHast(html)
    // With chapter bibliographies, an in-text citation links to its own chapter's list.
    if (book.config.chapterBibliographies && !item.entry) prefixFragmentLinks(hast, `${item.chapter.id}-`)
    if (item.entry) {
      item.entry.hast = hast
      if (item.lead && item.node.resolved?.as === 'note') item.node.resolved.lead = item.lead
    } else {
      item.node.resolved = { as: 'text', hast: item.lead ? [...item.lead, { type: 'text', value: ' ' }, ...hast] : hast }
    }
  }
  for (const [chapter, entries] of notesBy) chapter.notes = entries.map(toNote)

  if (engine && style && cited.size > 0) {
    const title = style.class === 'note' ? labels.bibliography : labels.references
    const { entries, hangingIndent: hanging } = await engine.bibliography([...cited])
    book.citationStyle = { id: style.id, title: style.title, class: style.class }
    book.bibliography = buildBibliography(entries, { title, ids, idPrefix: '', level: 1, id: 'bibliography', hanging })
    if (book.config.chapterBibliographies) {
      for (const chapter of book.chapters) {
        const keys = citedBy.get(chapter)!
        if (keys.size === 0) continue
        chapter.bibliography = buildBibliography(entries.filter((entry) => keys.has(entry.key)), { title, ids, idPrefix: `${chapter.id}-`, level: 2, id: `${chapter.id}-bibliography`, hanging })
        chapter.mdast.children.push({ type: 'hastBlock', hast: chapter.bibliography.hast })
      }
    }
  }
  warnUncited(options, cited)
}

interface ChapterContext {
  chapter: MarkdownChapter
  file: VFile
  options: ResolveOptions
  engine: CitationFormatter | undefined
  counter: number
}

/** The cited items of a citation node, or undefined (reported) when any cannot be resolved. */
function citationItems(node: Citation, { chapter, file, options }: ChapterContext, ownsNote: boolean): CiteItem[] | undefined {
  let items: CiteItem[]
  if (node.kind === 'marker') {
    const entry = chapter.citationMap[node.marker!]
    // The chapter's `citations:` may be in front matter that could not be read, which is reported.
    if (!entry && file.data.frontMatter?.unread) return undefined
    if (!entry) {
      const mapped = Object.keys(chapter.citationMap)
      report(file, 'citation-unmapped', `Marker \`${node.value}\` has no entry in this chapter’s \`citations:\` front matter${mapped.length > 0 ? ` (mapped: ${mapped.join(', ')})` : ''}: add \`${node.marker}: <citation key>\` under \`citations:\``, node)
      return undefined
    }
    const locator = parseLocator(entry.locator)
    const suffix = [locator.suffix, entry.suffix && (/^[,;.]/.test(entry.suffix) ? entry.suffix : `, ${entry.suffix}`)].filter(Boolean).join('')
    items = [{ key: entry.key, ...(entry.prefix ? { prefix: entry.prefix } : {}), ...withLocator(locator), ...(suffix ? { suffix } : {}) }]
  } else {
    items = (node.items ?? []).map((item) => {
      const locator = parseLocator(item.locator)
      return { key: item.key, ...(item.prefix ? { prefix: item.prefix } : {}), ...withLocator(locator), ...(locator.suffix ? { suffix: locator.suffix } : {}), ...(item.suppressAuthor || (node.inText && options.style?.class === 'in-text') ? { suppressAuthor: true } : {}) }
    })
  }
  let ok = true
  for (const item of items) {
    if (options.references.has(item.key)) continue
    ok = false
    if (!options.unread?.length) report(file, 'citation-key-unknown', unknownKeyMessage(node, item.key, options), node)
  }
  if (!ok) return undefined
  if (node.leadIn) {
    const first = items[0]!
    const prefix = first.prefix && !first.prefix.toLowerCase().startsWith(node.leadIn.toLowerCase()) ? `${node.leadIn} ${first.prefix}` : node.leadIn
    items[0] = { ...first, prefix }
  }
  // A note of its own begins with a capital: "see" from the front matter opens it as "See".
  if (ownsNote && items[0]?.prefix) items[0] = { ...items[0], prefix: items[0].prefix.charAt(0).toUpperCase() + items[0].prefix.slice(1) }
  return items
}

function withLocator(locator: ReturnType<typeof parseLocator>): Pick<CiteItem, 'locator' | 'label'> {
  return locator.locator ? { locator: locator.locator, ...(locator.label ? { label: locator.label } : {}) } : {}
}

function unknownKeyMessage(node: Citation, key: string, options: ResolveOptions): string {
  const where = node.kind === 'marker' ? `Marker \`${node.value}\` maps to \`${key}\`, which is` : `Citation key \`${key}\` in \`${node.value}\` is`
  if (options.bibliographyNames.length === 0) return `${where} unknown: book.yaml names no \`bibliography:\` file. Add one (CSL-JSON, CSL-YAML or BibTeX) that defines it`
  const near = nearest(key, options.references.keys(), 3).map(({ candidate }) => `\`${candidate}\``)
  return `${where} not in ${options.bibliographyNames.join(', ')}${near.length > 0 ? `; nearest keys: ${near.join(', ')}` : ''}. Fix the key or add the reference`
}

/** `@key says`: the author's name, as the style writes it, stays in the sentence. */
function authorLead(node: Citation, { engine, options }: ChapterContext): ElementContent[] | undefined {
  const item = node.items?.[0]
  if (!engine || !item || !options.references.has(item.key)) return undefined
  return cslHtmlToHast(engine.authorOnly({ key: item.key }))
}

function toNote(entry: EndnoteEntry): Note {
  return {
    number: entry.number,
    id: entry.id,
    kind: entry.definition || !entry.hast ? 'footnote' : 'citation',
    text: entry.hast ? hastToString({ type: 'root', children: entry.hast }) : mdastText(entry.definition),
  }
}

/** `#ref-x` → `#ch-7-ref-x` in citeproc's links. */
function prefixFragmentLinks(nodes: ElementContent[], prefix: string): void {
  for (const node of nodes) {
    visit(node, 'element', (element) => {
      const href = element.properties.href
      if (typeof href === 'string' && href.startsWith('#')) element.properties.href = `#${prefix}${href.slice(1)}`
    })
  }
}

function mdastText(node: Nodes | undefined): string {
  if (!node) return ''
  if (node.type === 'citation' && node.resolved?.as === 'text') return hastToString({ type: 'root', children: node.resolved.hast })
  if ('value' in node && typeof node.value === 'string') return node.value
  if ('children' in node) return (node.children as Nodes[]).map(mdastText).join(node.type === 'footnoteDefinition' ? '\n' : '')
  return ''
}

function hasFootnotes(tree: Root): boolean {
  let found = false
  visit(tree, 'footnoteReference', () => {
    found = true
    return EXIT
  })
  return found
}

function warnUncited(options: ResolveOptions, cited: Set<string>): void {
  // Without a style nothing could be cited; the style error says what to fix.
  if (!options.style) return
  // A citation of an entry may have failed only because its key is in a file that could not be read.
  if (options.unread?.length) return
  for (const reference of options.references.values()) {
    if (cited.has(reference.key)) continue
    const file = options.referenceFiles.get(reference.file)
    if (file) report(file, 'reference-uncited', `Reference \`${reference.key}\` is never cited: cite it, or remove it from the bibliography`, reference.place)
  }
}
