/**
 * Rule `link-target-unknown`: a link inside the book that leads nowhere. A
 * cross-reference to an id no chapter defines (`[see 7.3](#sec-7-3)` after
 * 7.3 was renumbered, or `02-sources.md#sec-2-9`), or a link to a file in the
 * manuscript that is neither a chapter nor an image the book shows
 * (`notes.md`, `data/table.csv`), which no edition carries. Links to files
 * that do not exist are `link-file-missing`, found while each chapter
 * becomes HTML.
 *
 * This is also where the book's own links are resolved, once, for every
 * edition: an unknown one becomes visible text with a "[?]" marker (what a
 * `--draft` build shows), and a link to a chapter names it by its source, the
 * form the renderers point at their pages.
 */
import path from 'node:path'
import type { Element, Root as HastRoot } from 'hast'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import type { Book } from '../model/types.ts'
import { report } from '../diagnostics/rules.ts'
import { decodeUri } from '../manuscript/uri.ts'
import { isLocalHref } from '../unified/anchors.ts'
import { markUnresolvedLink } from '../unified/unresolved-link.ts'

/**
 * Check every link of every chapter against the ids the chapters (and the
 * bibliography, or the ids its references will have) define and against the
 * chapter files; report and mark the ones that lead nowhere.
 */
export function checkLinkTargets(book: Book, files: Map<string, VFile>, referenceIds: Iterable<string> = []): void {
  const all = new Set<string>(referenceIds)
  const bySource = new Map<string, Set<string>>()
  for (const chapter of book.chapters) {
    // The HTML stage recorded the tree's ids (no walk here); a link made text below keeps its id.
    const own = new Set([chapter.id, `${chapter.id}-title`, ...chapter.anchors])
    if (chapter.bibliography) collectIds(chapter.bibliography.hast, own)
    bySource.set(chapter.source, own)
    for (const id of own) all.add(id)
  }
  if (book.bibliography) collectIds(book.bibliography.hast, all)
  // The web edition links an image the book shows; the others keep the link's text.
  const images = new Set(book.chapters.flatMap((chapter) => chapter.assets))
  for (const chapter of book.chapters) {
    const file = files.get(chapter.source)!
    const chapterDir = path.dirname(path.join(book.config.root, chapter.source))
    // The links as the editions will see them, which their page caches key by.
    const hrefs = new Set<string>()
    // The chapter's HTML holds every link the author wrote: Markdown links, references and raw `<a href>`.
    visit(chapter.hast, 'element', (node: Element) => {
      const href = node.properties.href
      if (node.tagName !== 'a' || typeof href !== 'string' || !isLocalHref(href)) return
      const hash = href.indexOf('#')
      const filePart = (hash < 0 ? href : href.slice(0, hash)).replace(/\?.*$/, '')
      const fragment = hash < 0 ? '' : decodeUri(href.slice(hash + 1))
      let problem: string | undefined
      if (filePart === '') {
        if (fragment === '') problem = 'nowhere: give the id it should lead to, or remove the link'
        else if (!all.has(fragment)) problem = unknownId(fragment, 'no chapter defines', all)
      } else {
        const absolute = path.resolve(chapterDir, decodeUri(filePart))
        const page = path.relative(book.config.root, absolute).split(path.sep).join('/')
        const ids = bySource.get(page)
        if (images.has(page) && fragment === '') node.properties.href = page
        else if (!ids) problem = `${page}, which is neither a chapter nor an image of the book, so no edition has it: link to a chapter or a web address, or remove the link`
        else if (fragment !== '' && !ids.has(fragment)) problem = unknownId(fragment, `${page} does not define`, ids)
        // Named as the renderers know the chapter (its source), whatever the path the author took to it.
        else node.properties.href = page.split('/').map(encodeURIComponent).join('/') + (hash < 0 ? '' : href.slice(hash))
      }
      if (problem === undefined) {
        hrefs.add(String(node.properties.href))
        return
      }
      report(file, 'link-target-unknown', `Link \`${href}\` points at ${problem}`, node)
      markUnresolvedLink(node, href)
    })
    chapter.hrefs = [...hrefs]
  }
}

function unknownId(fragment: string, which: string, ids: Set<string>): string {
  const near = nearest(fragment, ids)
  return `\`#${fragment}\`, which ${which}${near ? ` (did you mean \`#${near}\`?)` : ''}: fix the id, or remove the link`
}

function collectIds(tree: HastRoot | Element, into: Set<string>): void {
  visit(tree, 'element', (node: Element) => {
    if (typeof node.properties.id === 'string') into.add(node.properties.id)
  })
}

/** The id that shares the longest start with `fragment` (sec-7-3 → sec-7-2), if it shares its prefix. */
function nearest(fragment: string, ids: Set<string>): string | undefined {
  let best: string | undefined
  let length = 0
  for (const id of ids) {
    let common = 0
    while (common < id.length && id[common] === fragment[common]) common++
    if (common > length) {
      best = id
      length = common
    }
  }
  return best && length >= Math.min(4, fragment.length) ? best : undefined
}
