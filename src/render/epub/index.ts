/**
 * The EPUB 3 edition, from the same hast as the web edition: cover, title
 * page, copyright page, contents, one document per chapter (its endnotes at
 * its end), the bibliography. This file decides what goes where; `xhtml.ts`
 * serializes, `package-document.ts` and `ncx.ts` describe, `pack.ts` zips.
 */
import path from 'node:path'
import { readFile } from 'node:fs/promises'
import type { Element } from 'hast'
import { h } from 'hastscript'
import { visit } from 'unist-util-visit'
import { labelsFor, type Labels } from '../../config/labels.ts'
import { editionImage } from '../../manuscript/images.ts'
import { extensionOf } from '../../manuscript/media-types.ts'
import type { Book, BookPart, Chapter } from '../../model/types.ts'
import { isOrnamental, roleSemantics } from '../../model/roles.ts'
import { authorNames, chapterArticle, chapterNumber, contents, contentsItems, copyrightPage, isLastPage, listOfFigures, partFileName, partOpenings, partPage, sectionTree, titlePage, type PageLinks, type SectionNode } from '../book-parts.ts'
import { renderPages, withoutBody, type PagePlan } from '../page-cache.ts'
import { textFontBundle } from '../../fonts/bundle.ts'
import { bookFonts } from '../../fonts/families.ts'
import { STYLES_DIR } from '../../files/paths.ts'
import type { Artifact, Renderer } from '../types.ts'
import { coverImage, type CoverImage } from './cover.ts'
import { accessibilityOf, publicationIdentifier } from './metadata.ts'
import { editionDate } from '../edition-date.ts'
import { ncxDocument, type NavEntry } from './ncx.ts'
import { packageDocument, type ManifestItem } from './package-document.ts'
import { packEpub, RESERVED_NAMES, type PackedFile } from './pack.ts'
import { anchorsAndLinks } from '../../unified/anchors.ts'
import { insertPageMarkers, pageListNav } from './page-list.ts'
import type { PrintedPage } from '../pdf/page-starts.ts'
import { addEpubSemantics, conformToEpubSchema, serializeXhtml, xhtmlTree, type XhtmlDocument } from './xhtml.ts'

const NAV = 'toc.xhtml'
/** Media types of the font files an EPUB may pack (EPUB 3.3 core media types). */
const FONT_TYPES: Record<string, string> = { woff2: 'font/woff2', ttf: 'font/ttf', otf: 'font/otf' }
const STYLESHEET = 'style.css'
const XHTML = 'application/xhtml+xml'

/** One XHTML document of the spine (a chapter's with an empty body: see page-cache.ts). */
interface SpineDocument extends PagePlan {
  id: string
  title: string
}

/** A finished spine document, and what the accessibility metadata counts in it. */
interface FinishedDocument {
  xhtml: string
  images: number
  undescribed: number
}

export const epubRenderer: Renderer = {
  format: 'epub',
  prepare(config, context) {
    return coverImage(config, { ...(context.browser ? { browser: context.browser } : {}), ...(context.cacheDir && context.reuse !== false ? { cacheDir: context.cacheDir } : {}) }, labelsFor(config.language))
  },
  async render(book, context) {
    const { config } = book
    if (book.chapters.length === 0) throw new Error('The book has no chapters, and an EPUB needs at least one: add a chapter file such as 01-introduction.md')
    const labels = labelsFor(config.language)
    const faces = bookFonts(config)
    const names = documentNames(book)
    const links: PageLinks = { chapter: (chapter) => names.chapters.get(chapter)!, part: (part) => names.parts.get(part)!, bibliography: 'bibliography.xhtml' }
    const identifier = publicationIdentifier(book)
    const modified = editionDate(config)

    context.onProgress?.('cover')
    const cover = (await (context.prepared ?? epubRenderer.prepare!(config, context))) as CoverImage
    const coverFile = `cover.${cover.mediaType === 'image/png' ? 'png' : 'jpeg'}`

    const document = (fields: Omit<XhtmlDocument, 'language' | 'stylesheets'>) => xhtmlTree({ ...fields, language: config.language, stylesheets: [STYLESHEET] })
    const chapterDocument = (chapter: Chapter) => document({ title: chapter.title, bodyType: `${chapter.matter}matter`, body: [chapterArticle(chapter, labels)] })
    // Manifest ids by position: chapter ids can repeat in a draft (two chapters numbered 1).
    const chapterEntry = (chapter: Chapter): SpineDocument => ({
      id: `chapter-${book.chapters.indexOf(chapter) + 1}`,
      path: links.chapter(chapter),
      title: chapter.title,
      tree: chapterDocument(withoutBody(chapter)),
      chapter,
    })
    const openings = partOpenings(book)
    const partEntry = (part: BookPart): SpineDocument => ({
      id: part.id,
      path: links.part(part),
      title: `${part.label}: ${part.title}`,
      tree: document({ title: `${part.label}: ${part.title}`, bodyType: 'bodymatter', body: [partPage(part)] }),
    })
    const spine: SpineDocument[] = [
      {
        id: 'cover',
        path: 'cover.xhtml',
        title: labels.cover,
        tree: document({ title: labels.cover, bodyType: 'cover', body: [h('div', { className: ['cover'] }, [h('img', { src: coverFile, alt: cover.alt, role: 'doc-cover' })])] }),
      },
      { id: 'title-page', path: 'title-page.xhtml', title: labels.titlePage, tree: document({ title: config.title, bodyType: 'frontmatter', body: [withType(titlePage(book), 'titlepage')] }) },
      { id: 'copyright', path: 'copyright.xhtml', title: labels.copyright, tree: document({ title: labels.copyright, bodyType: 'frontmatter', body: [withType(copyrightPage(book, labels, config.epub.embedFonts ? { typeface: faces.body.family } : {}), 'copyright-page')] }) },
      // A dedication and an epigraph before the contents, as in print.
      ...book.chapters.filter(isOrnament).map(chapterEntry),
      { id: 'nav', path: NAV, title: labels.contents, tree: document({ title: labels.contents, bodyType: 'frontmatter', body: [withId(contents(book, labels, links, 'h1'), 'toc'), ...figureNav(book, labels, links), landmarks(book, labels, links)] }) },
      // Each part's title page before its first chapter.
      ...book.chapters.filter((chapter) => !isOrnament(chapter) && !isLastPage(chapter)).flatMap((chapter) => {
        const part = openings.get(chapter)
        return part ? [partEntry(part), chapterEntry(chapter)] : [chapterEntry(chapter)]
      }),
    ]
    if (book.bibliography) {
      spine.push({
        id: 'bibliography',
        path: links.bibliography,
        title: book.bibliography.title,
        tree: document({ title: book.bibliography.title, bodyType: 'backmatter', body: [structuredClone(book.bibliography.hast)] }),
      })
    }
    spine.push(...book.chapters.filter(isLastPage).map(chapterEntry))
    // The printed pages (print-isbn): which document holds each page's start, by the ids each document has.
    const printed = context.printedPages ?? []
    const pagesOf = new Map<string, PrintedPage[]>()
    let pageList: Element | undefined
    if (printed.length > 0) {
      const docOf = new Map<string, string>()
      for (const entry of spine) {
        // A chapter's own ids, and those its page adds around them (its title's).
        const ids = [...anchorsAndLinks(entry.tree).anchors, ...(entry.chapter?.anchors ?? [])]
        for (const id of ids) if (!docOf.has(id)) docOf.set(id, entry.path)
      }
      for (const page of printed) {
        const doc = docOf.get(page.anchor)
        if (doc) pagesOf.set(doc, [...(pagesOf.get(doc) ?? []), page])
        else throw new Error(`The EPUB's page list lost printed page ${page.label}: no document holds #${page.anchor}, where it begins ("${page.text.slice(0, 40)}"). Please report this with the manuscript`)
      }
      pageList = pageListNav(printed, (page) => docOf.get(page.anchor), labels.pages)
    }

    context.onProgress?.('documents')
    const assets = packAssets(book)
    const finished = await renderPages<FinishedDocument>(spine, {
      kind: 'epub-documents',
      context,
      links: { pageOfSource: new Map(book.chapters.map((chapter) => [chapter.source, links.chapter(chapter)])), unlinked: new Set(book.chapters.flatMap((chapter) => chapter.assets)) },
      whole: ({ chapter }) => chapterDocument(chapter),
      extra: ({ chapter, path: name }) => JSON.stringify(chapter.assets.map((source) => assets.hrefOf.get(source))) + JSON.stringify(pagesOf.get(name) ?? []),
      finish: ({ path: name, tree }) => {
        // Added once the links are resolved: the markers it leads to are only now put in.
        if (name === NAV && pageList) {
          const body = (tree.children[0] as Element).children.find((child): child is Element => child.type === 'element' && child.tagName === 'body')!
          body.children.push(pageList)
        }
        const pages = pagesOf.get(name)
        if (pages) {
          const lost = insertPageMarkers(tree, pages)
          if (lost.length > 0) throw new Error(`The EPUB's page list lost printed page ${lost[0]!.label}: ${name} has no text where it begins ("${lost[0]!.text.slice(0, 40)}", ${lost[0]!.offset} characters after #${lost[0]!.anchor}). Please report this with the manuscript`)
        }
        addEpubSemantics(tree)
        conformToEpubSchema(tree)
        let images = 0
        let undescribed = 0
        if (name !== 'cover.xhtml') {
          visit(tree, 'element', (node) => {
            if (node.tagName !== 'img' || typeof node.properties.src !== 'string') return
            node.properties.src = assets.hrefOf.get(node.properties.src) ?? node.properties.src
            images += 1
            if (typeof node.properties.alt !== 'string' || node.data?.quireUndescribed) undescribed += 1
          })
        }
        return { xhtml: serializeXhtml(tree), images, undescribed }
      },
    })
    const xhtml = new Map(spine.map((entry, index) => [entry.path, finished[index]!.xhtml]))
    const images = finished.reduce((sum, entry) => sum + entry.images, 0)
    const undescribed = finished.reduce((sum, entry) => sum + entry.undescribed, 0)

    // The body's face (and the headings', when another); readers may still override them.
    const bundles = config.epub.embedFonts ? [...new Set([faces.body, faces.headings])].map((font) => ({ font, bundle: textFontBundle('fonts/', undefined, font) })) : []
    const css =
      (await readFile(path.join(STYLES_DIR, 'epub.css'), 'utf8')) +
      bundles.map(({ font, bundle }) => `\n/* ${font.family} (${font.package}), ${font.licence} */\n${bundle.css}\n`).join('') +
      (bundles.length > 0 ? `body { font-family: '${faces.body.family}', serif; }\nh1, h2, h3, h4, h5, h6 { font-family: '${faces.headings.family}', serif; }\n` : '')
    const fonts = { files: bundles.flatMap(({ bundle }) => bundle.files) }
    const files: PackedFile[] = [...assets.files, ...fonts.files.map(({ from, to }) => ({ path: to, copyFrom: from }))]

    const manifest: ManifestItem[] = [
      { id: 'nav', href: NAV, mediaType: XHTML, properties: ['nav'] },
      { id: 'ncx', href: 'toc.ncx', mediaType: 'application/x-dtbncx+xml' },
      { id: 'css', href: STYLESHEET, mediaType: 'text/css' },
      { id: 'cover-image', href: coverFile, mediaType: cover.mediaType, properties: ['cover-image'] },
      ...spine.filter((entry) => entry.id !== 'nav').map((entry) => ({ id: entry.id, href: entry.path, mediaType: XHTML })),
      ...assets.items,
      ...fonts.files.map(({ to }, index) => ({ id: `font-${index + 1}`, href: to, mediaType: FONT_TYPES[path.extname(to).slice(1).toLowerCase()] ?? 'font/woff2' })),
    ]
    const opf = packageDocument({
      book,
      identifier,
      modified,
      accessibility: accessibilityOf(book, { total: images, undescribed }, printed.length > 0),
      manifest,
      spine: spine.map((entry) => entry.id),
      coverImage: 'cover-image',
      ncx: 'ncx',
    })
    const ncx = ncxDocument({ identifier: identifier.value, title: config.title, authors: authorNames(config), language: config.language, entries: navEntries(book, links) })

    context.onProgress?.('pack')
    const bytes = await packEpub({
      title: config.title,
      language: config.language,
      opf,
      nav: xhtml.get(NAV)!,
      ncx,
      css,
      documents: spine.filter((entry) => entry.id !== 'nav').map((entry) => ({ fileName: entry.path, title: entry.title, xhtml: xhtml.get(entry.path)! })),
      cover: { fileName: coverFile, bytes: cover.bytes },
      files,
      date: modified,
    })
    return { kind: 'file', path: `${config.slug}.epub`, content: bytes } satisfies Artifact
  },
}

/** Mark an element with an EPUB structural semantic. */
/** The list of figures as an EPUB navigation list (`epub:type="loi"`, a list of illustrations), if the book has one. */
function figureNav(book: Book, labels: Labels, links: PageLinks): Element[] {
  const list = listOfFigures(book, labels, links)
  return list ? [withType(list, 'loi')] : []
}

function withType(element: Element, type: string): Element {
  element.properties['epub:type'] = type
  return element
}

function withId(element: Element, id: string): Element {
  element.properties.id = id
  return element
}

/** A file name safe in every zip tool and reading system: ASCII letters, digits, `-`, `_`, `.`. */
function safeName(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '')
}

/** File names of the chapter documents (the chapter's slug) and the parts' title pages, unique without regard to case. */
function documentNames(book: Book): { chapters: Map<Chapter, string>; parts: Map<BookPart, string> } {
  const taken = new Set([...RESERVED_NAMES, 'cover.xhtml', 'title-page.xhtml', 'copyright.xhtml', 'bibliography.xhtml'].map((name) => name.toLowerCase()))
  const chapters = new Map<Chapter, string>()
  book.chapters.forEach((chapter, index) => {
    const base = safeName(chapter.slug) || `chapter-${index + 1}`
    let name = `${base}.xhtml`
    for (let suffix = 2; taken.has(name.toLowerCase()); suffix++) name = `${base}-${suffix}.xhtml`
    taken.add(name.toLowerCase())
    chapters.set(chapter, name)
  })
  const parts = new Map<BookPart, string>()
  for (const part of book.parts) {
    const name = partFileName(part, 'xhtml', taken)
    taken.add(name.toLowerCase())
    parts.set(part, name)
  }
  return { chapters, parts }
}

/** The chapters' images, packed under `images/` with names and media types that every reading system accepts. */
function packAssets(book: Book): { files: PackedFile[]; items: ManifestItem[]; hrefOf: Map<string, string> } {
  const sources = [...new Set(book.chapters.flatMap((chapter) => chapter.assets))].sort()
  const taken = new Set<string>()
  const files: PackedFile[] = []
  const items: ManifestItem[] = []
  const hrefOf = new Map<string, string>()
  sources.forEach((source, index) => {
    // The pipeline only keeps images it accepted; `editionImage` throws for a file changed since.
    const { mediaType, bytes } = editionImage(path.join(book.config.root, source))
    // `images/map of berlin.png` → `images/map-of-berlin.png`; other folders become part of the name.
    const stem = safeName(source.replace(/^images\//, '').replace(/\.[^./]*$/, '').replace(/\//g, '-')) || `image-${index + 1}`
    let href = `images/${stem}.${extensionOf[mediaType]}`
    for (let suffix = 2; taken.has(href.toLowerCase()); suffix++) href = `images/${stem}-${suffix}.${extensionOf[mediaType]}`
    taken.add(href.toLowerCase())
    hrefOf.set(source, href)
    files.push({ path: href, content: bytes })
    items.push({ id: `image-${index + 1}`, href, mediaType })
  })
  return { files, items, hrefOf }
}

/** The landmarks: where the cover, contents, text and bibliography begin. */
function landmarks(book: Book, labels: Labels, links: PageLinks): Element {
  const entries: [string, string, string][] = [
    ['cover', 'cover.xhtml', labels.cover],
    ['frontmatter', 'title-page.xhtml', labels.titlePage],
  ]
  const typed = new Set<string>()
  const add = (type: string, href: string, label: string) => {
    if (typed.has(type)) return
    typed.add(type)
    entries.push([type, href, label])
  }
  const mark = (chapter: Chapter) => {
    // Where the text begins (the introduction or chapter 1) and the back matter; then each role's first document.
    if (chapter.matter === 'body') add('bodymatter', links.chapter(chapter), labels.startOfText)
    if (chapter.matter === 'back') add('backmatter', links.chapter(chapter), chapter.title)
    const { epubType } = roleSemantics(chapter.role)
    if (epubType) add(epubType, links.chapter(chapter), chapter.title)
  }
  // In reading order: the dedication and the epigraph stand before the contents.
  book.chapters.filter(isOrnament).forEach(mark)
  entries.push(['toc', `${NAV}#toc`, labels.contents])
  book.chapters.filter((chapter) => !isOrnament(chapter)).forEach(mark)
  if (book.bibliography) {
    add('backmatter', links.bibliography, book.bibliography.title)
    entries.push(['bibliography', links.bibliography, book.bibliography.title])
  }
  return h('nav', { 'epub:type': 'landmarks', hidden: true, ariaLabel: labels.landmarks }, [
    h('h2', labels.landmarks),
    h('ol', entries.map(([type, href, label]) => h('li', [h('a', { 'epub:type': type, href }, label)]))),
  ])
}

/** A dedication or an epigraph, which stands before the contents. */
function isOrnament(chapter: Chapter): boolean {
  return chapter.matter === 'front' && isOrnamental(chapter.role)
}

/** The NCX entries: the nav's parts, chapters, sections and bibliography. */
function navEntries(book: Book, links: PageLinks): NavEntry[] {
  const fromSections = (page: string, nodes: SectionNode[]): NavEntry[] =>
    nodes.map(({ section, children }) => ({ label: section.number ? `${section.number} ${section.title}` : section.title, href: `${page}#${section.id}`, children: fromSections(page, children) }))
  const fromChapter = (chapter: Chapter): NavEntry => ({
    label: chapterNumber(chapter) === undefined ? chapter.title : `${chapterNumber(chapter)}. ${chapter.title}`,
    href: links.chapter(chapter),
    children: fromSections(links.chapter(chapter), sectionTree(chapter.sections, book.config.tocDepth)),
  })
  const entries: NavEntry[] = contentsItems(book, book.chapters.filter((chapter) => !isLastPage(chapter))).map((item) =>
    'part' in item ? { label: `${item.part.label}: ${item.part.title}`, href: links.part(item.part), children: item.chapters.map(fromChapter) } : fromChapter(item.chapter),
  )
  if (book.bibliography) entries.push({ label: book.bibliography.title, href: links.bibliography, children: [] })
  entries.push(...book.chapters.filter(isLastPage).map(fromChapter))
  return entries
}
