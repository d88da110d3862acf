/**
 * The HTML web edition: a contents page (title page and table of contents)
 * and one page per chapter with previous/next links, styled by
 * `styles/screen.css` with the text face copied alongside, so it reads the
 * same opened from disk with no network.
 */
import path from 'node:path'
import type { Element, Root } from 'hast'
import { h } from 'hastscript'
import rehypeStringify from 'rehype-stringify'
import { unified } from 'unified'
import type { Book, Chapter } from '../model/types.ts'
import { chapterArticle, chapterLabel, isLastPage, contents, copyrightPage, listOfFigures, partFileName, partOpenings, partPage, titlePage, type PageLinks } from './book-parts.ts'
import { textFontBundle } from '../fonts/bundle.ts'
import { bookFonts, fontStack } from '../fonts/families.ts'
import { labelsFor, type Labels } from '../config/labels.ts'
import { STYLES_DIR, QUIRE_VERSION } from '../files/paths.ts'
import { renderPages, withoutBody, type PagePlan } from './page-cache.ts'
import { editionImage } from '../manuscript/images.ts'
import type { Artifact, Download, OutputFile, Renderer } from './types.ts'

const stringifier = unified().use(rehypeStringify, { allowDangerousCharacters: false })

/** File name of a chapter's page. */
export function chapterPage(chapter: Chapter): string {
  return `${chapter.slug}.html`
}

export const htmlRenderer: Renderer = {
  format: 'html',
  async render(book, context) {
    const labels = labelsFor(book.config.language)
    const pageLinks = webLinks(book)
    const faces = bookFonts(book.config)
    const families = [...new Set([faces.body, faces.headings])]
    const bundles = families.map((font) => textFontBundle('fonts/', undefined, font))
    const downloads = context.downloads ?? []
    const figures = listOfFigures(book, labels, pageLinks)
    const front = [titlePage(book), ...(downloads.length > 0 ? [downloadLinks(downloads, labels)] : []), contents(book, labels, pageLinks), ...(figures ? [figures] : []), copyrightPage(book, labels, { typeface: faces.body.family })]
    const files: OutputFile[] = [
      { path: 'screen.css', copyFrom: path.join(STYLES_DIR, 'screen.css') },
      {
        path: 'fonts.css',
        content: `/* ${families.map((font) => `${font.family} (${font.package})`).join(', ')} */\n${bundles.map((bundle) => bundle.css).join('\n')}\n:root { --body-font: ${fontStack(faces.body)}; --heading-font: ${fontStack(faces.headings)}; }\n`,
      },
      ...bundles.flatMap((bundle) => bundle.files.map(({ from, to }) => ({ path: to, copyFrom: from }))),
    ]
    const sequence = readingOrder(book, pageLinks)
    const chapterTree = (entry: PageEntry, index: number, chapter: Chapter) => {
      const label = chapterLabel(chapter, labels)
      return page(book, `${label ? `${label}: ` : ''}${entry.title} — ${book.config.title}`, 'chapter-page', [
        h('main', [chapterArticle(chapter, labels)]),
        pager(sequence[index - 1], sequence[index + 1], labels),
      ])
    }
    const plans: PagePlan[] = [
      { path: 'index.html', tree: page(book, book.config.title, 'contents-page', front) },
      ...sequence.map((entry, index): PagePlan =>
        entry.chapter
          ? { path: entry.path, tree: chapterTree(entry, index, withoutBody(entry.chapter)), chapter: entry.chapter }
          : { path: entry.path, tree: page(book, `${entry.title} — ${book.config.title}`, entry.bodyClass!, [h('main', [entry.body!]), pager(sequence[index - 1], sequence[index + 1], labels)]) },
      ),
    ]
    const assets = new Set(book.chapters.flatMap((chapter) => chapter.assets))
    const pages = await renderPages(plans, {
      kind: 'web-pages',
      context,
      links: {
        pageOfSource: new Map(book.chapters.map((chapter) => [chapter.source, chapterPage(chapter)])),
        files: new Set([...assets, ...downloads.map((download) => download.name)]),
      },
      whole: (plan) => {
        // The plans are the contents page, then the sequence.
        const index = plans.indexOf(plan) - 1
        return chapterTree(sequence[index]!, index, plan.chapter)
      },
      finish: ({ tree }) => stringifier.stringify(tree) + '\n',
    })
    plans.forEach((plan, index) => files.push({ path: plan.path, content: pages[index]! }))
    // Written as checked (an SVG as its sanitized serialization), never copied byte for byte.
    for (const asset of [...assets].sort()) files.push({ path: asset, content: editionImage(path.join(book.config.root, asset)).bytes })
    for (const download of downloads) if (download.copyFrom) files.push({ path: download.name, copyFrom: download.copyFrom })
    return { kind: 'dir', path: 'html', files } satisfies Artifact
  },
}

/** One page of the web edition, in reading order: the chapters (each part's title page before its first), then the bibliography. */
interface PageEntry {
  path: string
  title: string
  chapter?: Chapter
  /** A page that is not a chapter's: its content and the class of its body. */
  body?: Element
  bodyClass?: string
}

/** File name of the bibliography page. */
export const BIBLIOGRAPHY_PAGE = 'bibliography.html'

/** How the pages link to each other: a part's page is named clear of every chapter's. */
function webLinks(book: Book): PageLinks {
  const taken = new Set([...book.chapters.map((chapter) => chapterPage(chapter).toLowerCase()), 'index.html', BIBLIOGRAPHY_PAGE])
  const parts = new Map(book.parts.map((part) => [part, partFileName(part, 'html', taken)]))
  return { chapter: chapterPage, part: (part) => parts.get(part)!, bibliography: BIBLIOGRAPHY_PAGE }
}

function readingOrder(book: Book, links: PageLinks): PageEntry[] {
  const openings = partOpenings(book)
  const entries: PageEntry[] = book.chapters.filter((chapter) => !isLastPage(chapter)).flatMap((chapter): PageEntry[] => {
    const part = openings.get(chapter)
    return [
      ...(part ? [{ path: links.part(part), title: `${part.label}: ${part.title}`, body: partPage(part), bodyClass: 'part-title-page' }] : []),
      { path: chapterPage(chapter), title: chapter.title, chapter },
    ]
  })
  if (book.bibliography) entries.push({ path: BIBLIOGRAPHY_PAGE, title: book.bibliography.title, body: structuredClone(book.bibliography.hast), bodyClass: 'back-matter-page' })
  for (const chapter of book.chapters.filter(isLastPage)) entries.push({ path: chapterPage(chapter), title: chapter.title, chapter })
  return entries
}

function page(book: Book, title: string, bodyClass: string, content: Element[]): Root {
  return {
    type: 'root',
    children: [
      { type: 'doctype' },
      h('html', { lang: book.config.language }, [
        h('head', [
          h('meta', { charSet: 'utf-8' }),
          h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
          h('meta', { name: 'generator', content: `Quire ${QUIRE_VERSION}` }),
          h('title', title),
          h('link', { rel: 'stylesheet', href: 'fonts.css' }),
          h('link', { rel: 'stylesheet', href: 'screen.css' }),
        ]),
        h('body', { className: [bodyClass] }, [
          h('nav', { className: ['book-nav'], ariaLabel: 'Book' }, [h('a', { href: 'index.html' }, book.config.title)]),
          ...content,
        ]),
      ]),
    ],
  }
}

/** "Download EPUB", "Download PDF": the other editions, beside the pages. */
function downloadLinks(downloads: Download[], labels: Labels): Element {
  return h(
    'nav',
    { className: ['downloads'], ariaLabel: labels.download },
    downloads.map((download) => h('a', { href: encodeURIComponent(download.name), download: '', className: [`download-${download.format}`] }, `${labels.download} ${download.format.toUpperCase()}`)),
  )
}

function pager(previous: PageEntry | undefined, next: PageEntry | undefined, labels: Labels): Element {
  return h('nav', { className: ['pager'], ariaLabel: 'Chapters' }, [
    previous ? h('a', { rel: 'prev', href: previous.path }, [h('span', { className: ['pager-label'] }, `← ${labels.previous}`), ' ', previous.title]) : h('span'),
    h('a', { href: 'index.html', className: ['pager-contents'] }, labels.contents),
    next ? h('a', { rel: 'next', href: next.path }, [h('span', { className: ['pager-label'] }, `${labels.next} →`), ' ', next.title]) : h('span'),
  ])
}
