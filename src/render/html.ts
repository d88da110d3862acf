/**
 * The HTML web edition: a contents page (title page and table of contents)
 * and one page per chapter with previous/next links, styled by
 * `styles/screen.css` with the text face copied alongside, so it reads the
 * same opened from disk with no network.
 */
import path from 'node:path'
import type { Element, ElementContent, Root } from 'hast'
import { h } from 'hastscript'
import rehypeStringify from 'rehype-stringify'
import { unified } from 'unified'
import type { Book, Chapter, Section } from '../model/types.ts'
import { textFontBundle } from './fonts.ts'
import { labelsFor, type Labels } from './labels.ts'
import { STYLES_DIR, QUIRE_VERSION } from './paths.ts'
import type { Artifact, OutputFile, Renderer } from './types.ts'

const stringifier = unified().use(rehypeStringify, { allowDangerousCharacters: false })

/** The chapter label: "Chapter 7", or nothing for an unnumbered chapter. */
export function chapterLabel(chapter: Chapter, labels: Labels): string | undefined {
  return chapter.number === undefined ? undefined : `${labels.chapter} ${chapter.number}`
}

/** File name of a chapter's page. */
export function chapterPage(chapter: Chapter): string {
  return `${chapter.slug}.html`
}

export const htmlRenderer: Renderer = {
  format: 'html',
  async render(book) {
    const labels = labelsFor(book.config.language)
    const fonts = textFontBundle('fonts/')
    const files: OutputFile[] = [
      { path: 'index.html', content: page(book, book.config.title, 'contents-page', [titlePage(book), contents(book, labels)]) },
      { path: 'screen.css', copyFrom: path.join(STYLES_DIR, 'screen.css') },
      { path: 'fonts.css', content: `/* ${path.basename(fonts.files[0]?.from ?? '')} … from the Literata font (SIL OFL 1.1) */\n${fonts.css}\n` },
      ...fonts.files.map(({ from, to }) => ({ path: to, copyFrom: from })),
    ]
    book.chapters.forEach((chapter, index) => {
      const label = chapterLabel(chapter, labels)
      const title = `${label ? `${label}: ` : ''}${chapter.title} — ${book.config.title}`
      files.push({
        path: chapterPage(chapter),
        content: page(book, title, 'chapter-page', [
          h('main', [chapterArticle(chapter, labels)]),
          pager(book.chapters[index - 1], book.chapters[index + 1], labels),
        ]),
      })
    })
    const assets = new Set(book.chapters.flatMap((chapter) => chapter.assets))
    for (const asset of [...assets].sort()) files.push({ path: asset, copyFrom: path.join(book.config.root, asset) })
    return { kind: 'dir', path: 'html', files } satisfies Artifact
  },
}

function page(book: Book, title: string, bodyClass: string, content: Element[]): string {
  const tree: Root = {
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
  return stringifier.stringify(tree) + '\n'
}

function titlePage(book: Book): Element {
  const { config } = book
  const authors = config.contributors.filter((person) => person.role === 'author').map((person) => person.name)
  return h('header', { className: ['title-page'] }, [
    h('h1', { className: ['book-title'] }, config.title),
    config.subtitle ? h('p', { className: ['book-subtitle'] }, config.subtitle) : undefined,
    authors.length > 0 ? h('p', { className: ['book-author'] }, joinNames(authors, config.language)) : undefined,
    config.publisher ? h('p', { className: ['book-publisher'] }, config.publisher) : undefined,
  ].filter((node): node is Element => node !== undefined))
}

function joinNames(names: string[], language: string): string {
  return new Intl.ListFormat(language, { style: 'long', type: 'conjunction' }).format(names)
}

function contents(book: Book, labels: Labels): Element {
  return h('nav', { className: ['toc'], ariaLabelledBy: 'toc-title', role: 'doc-toc' }, [
    h('h2', { id: 'toc-title' }, labels.contents),
    h(
      'ol',
      book.chapters.map((chapter) =>
        h('li', { className: ['toc-chapter'] }, [
          h('a', { href: chapterPage(chapter) }, [
            chapter.number === undefined ? undefined : h('span', { className: ['toc-number'] }, String(chapter.number)),
            chapter.number === undefined ? undefined : ' ',
            h('span', { className: ['toc-title'] }, chapter.title),
          ].filter((node) => node !== undefined) as ElementContent[]),
          ...sectionList(chapter, chapter.sections, book.config.tocDepth),
        ]),
      ),
    ),
  ])
}

/** Nested lists of sections down to `depth` (2: sections, 3: subsections). */
function sectionList(chapter: Chapter, sections: Section[], depth: number): Element[] {
  const shown = sections.filter((section) => section.depth <= depth)
  if (shown.length === 0) return []
  const top = Math.min(...shown.map((section) => section.depth))
  const items: Element[] = []
  for (let index = 0; index < shown.length; index++) {
    const section = shown[index]!
    if (section.depth !== top) continue
    const children: Section[] = []
    for (let next = index + 1; next < shown.length && shown[next]!.depth > top; next++) children.push(shown[next]!)
    items.push(
      h('li', [
        h('a', { href: `${chapterPage(chapter)}#${section.id}` }, [
          ...(section.number ? [h('span', { className: ['toc-number'] }, section.number), ' '] : []),
          h('span', { className: ['toc-title'] }, section.title),
        ]),
        ...sectionList(chapter, children, depth),
      ]),
    )
  }
  return [h('ol', { className: ['toc-sections'] }, items)]
}

function chapterArticle(chapter: Chapter, labels: Labels): Element {
  const label = chapterLabel(chapter, labels)
  return h('article', { className: ['chapter'], id: chapter.id, ariaLabelledBy: `${chapter.id}-title` }, [
    h('header', { className: ['chapter-header'] }, [
      label ? h('p', { className: ['chapter-number'] }, label) : undefined,
      h('h1', { id: `${chapter.id}-title`, className: ['chapter-title'] }, chapter.title),
    ].filter((node): node is Element => node !== undefined)),
    ...(chapter.hast.children as ElementContent[]),
  ])
}

function pager(previous: Chapter | undefined, next: Chapter | undefined, labels: Labels): Element {
  return h('nav', { className: ['pager'], ariaLabel: 'Chapters' }, [
    previous ? h('a', { rel: 'prev', href: chapterPage(previous) }, [h('span', { className: ['pager-label'] }, `← ${labels.previous}`), ' ', previous.title]) : h('span'),
    h('a', { href: 'index.html', className: ['pager-contents'] }, labels.contents),
    next ? h('a', { rel: 'next', href: chapterPage(next) }, [h('span', { className: ['pager-label'] }, `${labels.next} →`), ' ', next.title]) : h('span'),
  ])
}
