/** Read the citation nodes of a chapter tree into the model's plain records. */
import type { Root } from 'mdast'
import { visit } from 'unist-util-visit'
import type { CitationRef } from '../model/types.ts'
import '../unified/types.ts'

/** Every citation marker of the chapter, in reading order. */
export function collectCitations(tree: Root): CitationRef[] {
  const found: CitationRef[] = []
  visit(tree, 'citation', (node) => {
    found.push({
      kind: node.kind,
      raw: node.value,
      ...(node.marker === undefined ? {} : { marker: node.marker }),
      ...(node.items ? { items: node.items } : {}),
      ...(node.inText ? { inText: true } : {}),
      line: node.position?.start.line ?? 0,
      column: node.position?.start.column ?? 0,
      endLine: node.position?.end.line ?? 0,
      endColumn: node.position?.end.column ?? 0,
    })
  })
  return found
}
