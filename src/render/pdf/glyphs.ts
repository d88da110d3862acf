/**
 * Characters no shipped face draws would make Chromium borrow a font from
 * the machine (or draw nothing while the text layer claims otherwise).
 * They become an empty box instead; `check` has already warned about each
 * (rule `glyph-missing`). Task-list boxes (☐ ☑), which Quire itself puts
 * in the text, are drawn by CSS.
 */
import type { Element, ElementContent } from 'hast'
import { visitParents } from 'unist-util-visit-parents'
import { missingRuns, type TextFaces } from '../../fonts/coverage.ts'

/** Box the undrawable characters of the document's body. */
export function boxMissingGlyphs(tree: Element, faces: TextFaces): void {
  visitParents(tree, 'text', (node, ancestors) => {
    const parent = ancestors.at(-1) as Element
    if ((parent.properties.className as string[] | undefined)?.includes('task-box')) {
      node.value = ''
      return
    }
    const code = ancestors.some((ancestor) => ancestor.type === 'element' && (ancestor.tagName === 'code' || ancestor.tagName === 'pre'))
    const runs = missingRuns(node.value, code, faces)
    if (runs.length === 0) return
    const replaced: ElementContent[] = []
    let at = 0
    for (const run of runs) {
      if (run.start > at) replaced.push({ type: 'text', value: node.value.slice(at, run.start) })
      for (const char of run.text) {
        const label = `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`
        replaced.push({ type: 'element', tagName: 'span', properties: { className: ['missing-glyph'], title: label }, children: [] })
      }
      at = run.end
    }
    if (at < node.value.length) replaced.push({ type: 'text', value: node.value.slice(at) })
    const index = parent.children.indexOf(node)
    parent.children.splice(index, 1, ...(replaced as Element[]))
    return index + replaced.length
  })
}
