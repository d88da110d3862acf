/**
 * "See [citation 3]." as a sentence of its own would leave a stranded "See."
 * once the marker becomes a note number. The lead-in word moves into the
 * citation instead:
 * - note styles: "…was contained. See [c3]." → "…was contained.³" and the note reads "See Kennan, …";
 * - in-text styles: "…was contained. See [c3]." → "…was contained (see Kennan 1947)."
 * A lead-in sentence that opens a paragraph moves to the end of the paragraph before.
 */
import type { Paragraph, Parent, Root, Text } from 'mdast'
import { SKIP, visit } from 'unist-util-visit'
import type { Citation } from '../unified/types.ts'

const leadIn = /(^|[.!?…][”’"')\]]*\s+)(See also|See|Cf\.|Compare)\s+$/u

/** Move lead-in words into the citations that follow them. */
export function liftLeadIns(tree: Root, styleClass: 'note' | 'in-text'): void {
  visit(tree, (node, index, parent) => {
    if (node.type === 'footnoteDefinition') return SKIP
    if (node.type !== 'paragraph' || !parent || index === undefined) return
    for (let at = 0; at < node.children.length; at++) {
      const citation = node.children[at]
      if (citation?.type !== 'citation') continue
      const length = node.children.length
      if (!liftOne(node, at, styleClass, parent, index)) continue
      // The paragraph may now be empty (its only sentence moved to the one before).
      if (node.children.length === 0) {
        parent.children.splice(index, 1)
        return index
      }
      // Its opening sentence moved away: what followed now starts at 0.
      if (node.children.length < length) at = -1
    }
    return undefined
  })
}

function liftOne(paragraph: Paragraph, at: number, styleClass: 'note' | 'in-text', parent: Parent, index: number): boolean {
  const citation = paragraph.children[at] as Citation
  const before = paragraph.children[at - 1]
  const after = paragraph.children[at + 1]
  if (before?.type !== 'text' || after?.type !== 'text' || !/^\.(\s|$)/.test(after.value)) return false
  const match = leadIn.exec(before.value)
  if (!match) return false
  const sentenceEnd = match[1]!
  const kept = before.value.slice(0, match.index)
  const opensParagraph = at === 1 && kept === '' && sentenceEnd === ''
  if (!opensParagraph && sentenceEnd === '') return false

  if (styleClass === 'note') {
    if (opensParagraph) {
      if (!moveToPreviousParagraph(paragraph, at, parent, index)) return false
      citation.leadIn = match[2]!
      return true
    }
    citation.leadIn = match[2]!
    before.value = kept + sentenceEnd.trimEnd()
    after.value = after.value.slice(1)
    return true
  }
  // In-text: "(see X)" goes before the previous sentence's full stop, when it ends plainly.
  if (opensParagraph || !/^[.!?]\s+$/.test(sentenceEnd)) return false
  citation.leadIn = match[2]!.toLowerCase()
  before.value = `${kept} `
  return true
}

/** "See [c3]." alone at the start of a paragraph: its note belongs to the paragraph before. */
function moveToPreviousParagraph(paragraph: Paragraph, at: number, parent: Parent, index: number): boolean {
  const previous = parent.children[index - 1]
  if (previous?.type !== 'paragraph') return false
  const citation = paragraph.children[at]!
  const after = paragraph.children[at + 1] as Text
  paragraph.children.splice(0, at + 1)
  after.value = after.value.slice(1).trimStart()
  if (after.value === '') paragraph.children.shift()
  previous.children.push(citation)
  return true
}
