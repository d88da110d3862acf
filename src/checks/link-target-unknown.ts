/**
 * Rule `link-target-unknown`: a cross-reference to an id that no chapter
 * defines (`[see 7.3](#sec-7-3)` after 7.3 was renumbered, or
 * `02-sources.md#sec-2-9`). Every edition would drop the link.
 */
import type { Element, Root as HastRoot } from 'hast'
import type { Link } from 'mdast'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import type { Book } from '../model/types.ts'
import { report } from './rules.ts'
import { decodeUri } from '../manuscript/uri.ts'

const scheme = /^[a-z][a-z0-9+.-]*:/i

export function checkLinkTargets(book: Book, files: Map<string, VFile>, referenceIds: Iterable<string> = []): void {
  const all = new Set<string>(referenceIds)
  const bySource = new Map<string, Set<string>>()
  for (const chapter of book.chapters) {
    const own = new Set([chapter.id, `${chapter.id}-title`])
    collectIds(chapter.hast, own)
    if (chapter.bibliography) collectIds(chapter.bibliography.hast, own)
    bySource.set(chapter.source, own)
    for (const id of own) all.add(id)
  }
  if (book.bibliography) collectIds(book.bibliography.hast, all)
  for (const chapter of book.chapters) {
    const file = files.get(chapter.source)!
    visit(chapter.mdast, 'link', (node: Link) => {
      const url = node.url
      if (scheme.test(url) || url.startsWith('//')) return
      const hash = url.indexOf('#')
      if (hash < 0) return
      const page = decodeUri(url.slice(0, hash)).replace(/^\.\//, '')
      const fragment = decodeUri(url.slice(hash + 1))
      if (fragment === '') return
      const ids = page === '' ? all : bySource.get(page)
      // A link to a file that is not a chapter is `link-file-missing`'s business.
      if (!ids || ids.has(fragment)) return
      const near = nearest(fragment, ids)
      report(
        file,
        'link-target-unknown',
        `Link \`${url}\` points at \`#${fragment}\`, which ${page ? `${page} does not define` : 'no chapter defines'}${near ? ` (did you mean \`#${near}\`?)` : ''}: fix the id, or remove the link`,
        node,
      )
    })
  }
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
