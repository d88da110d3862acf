/**
 * Give every section heading a stable, book-unique id and list the chapter's
 * sections in `file.data.sections` for the tables of contents. Numbered
 * section lines already carry `sec-7-2`; Markdown headings get
 * `<chapter id>-<slug>`. The slugger lives inside the transformer, so ids
 * never leak from one chapter into the next.
 */
import GithubSlugger from 'github-slugger'
import type { Root } from 'mdast'
import { toString } from 'mdast-util-to-string'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { chapterId } from '../../model/ids.ts'
import type { Section } from '../../model/types.ts'

/** Assign heading ids and collect the chapter's sections. */
export function remarkHeadingIds() {
  return function (tree: Root, file: VFile) {
    const slugger = new GithubSlugger()
    const prefix = chapterId(file.data.chapterNumber?.value, file.data.chapterFile?.nameSlug ?? 'chapter')
    // Ids Quire gives the chapter's own parts; a `## Notes` heading must not take them.
    const seen = new Set<string>(['title', 'notes', 'bibliography'].map((part) => `${prefix}-${part}`))
    const sections: Section[] = []
    visit(tree, 'heading', (node) => {
      const hProperties = (node.data ??= {}).hProperties ?? {}
      node.data.hProperties = hProperties
      const number = node.data.sectionNumber
      const title = toString(node.children.filter((child) => child.type !== 'sectionNumber')).trim()
      let id = typeof hProperties.id === 'string' ? hProperties.id : `${prefix}-${slugger.slug(title) || 'section'}`
      // A repeated section number is reported by `check`; the ids must still differ.
      for (let n = 2; seen.has(id); n++) id = `${String(hProperties.id ?? id).replace(/--\d+$/, '')}--${n}`
      seen.add(id)
      hProperties.id = id
      sections.push({
        id,
        depth: node.depth,
        ...(number === undefined ? {} : { number }),
        title,
        line: node.position?.start.line ?? 0,
      })
    })
    file.data.sections = sections
  }
}
