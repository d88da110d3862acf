/**
 * Where a note number sits. Authors put markers before the punctuation
 * ("…in 1947 [citation 2].") and often after a space. In a note style the
 * number loses the space and, by the book's language:
 * - goes after the punctuation, touching it ("…in 1947.²"), as pandoc and
 *   the Chicago Manual place it; British English keeps a full stop after a
 *   closing quote (“…on Berlin”.²);
 * - American English also moves a full stop or comma inside the closing
 *   quote (“…on Berlin.”²), as pandoc does for en-US;
 * - French sets the call before the punctuation (texte¹.).
 */
import type { Parent, Text } from 'mdast'

/** How a language places a note call among the punctuation next to it. */
export type NotePlacement = 'after-punctuation' | 'inside-quotes' | 'before-punctuation'

const punctuation = /^[.,;:!?…]+[”’"')\]]*/u

/** English that keeps punctuation outside quotation marks (Commonwealth usage); the rest is American. */
const britishRegions = new Set(['gb', 'uk', 'au', 'nz', 'ie', 'za', 'in'])

/** The placement for a BCP 47 language tag (default: after the punctuation). */
export function notePlacementFor(language: string): NotePlacement {
  const [base, ...subtags] = language.toLowerCase().split('-')
  if (base === 'fr') return 'before-punctuation'
  if (base === 'en') return subtags.some((subtag) => britishRegions.has(subtag)) ? 'after-punctuation' : 'inside-quotes'
  return 'after-punctuation'
}

/**
 * Place the note reference at `parent.children[index]`: no space before it,
 * punctuation around it as `placement` says. Returns its index afterwards.
 */
export function placeNoteReference(parent: Parent, index: number, placement: NotePlacement = 'after-punctuation'): number {
  const before = parent.children[index - 1]
  const after = parent.children[index + 1]
  let moved = ''
  if (after?.type === 'text' && placement !== 'before-punctuation') {
    const match = punctuation.exec(after.value)
    if (match) {
      moved = match[0]
      after.value = after.value.slice(moved.length)
      if (after.value === '') parent.children.splice(index + 1, 1)
    }
  }
  if (before?.type === 'text') {
    const value = before.value.replace(/[ \t]+$/, '') + moved
    before.value = placement === 'inside-quotes' ? punctuationInside(value) : value
  } else if (moved) {
    parent.children.splice(index, 0, { type: 'text', value: moved } satisfies Text)
    return index + 1
  }
  return index
}

/** `“…Berlin”.` → `“…Berlin.”`: American usage puts a full stop or comma inside the closing quote. */
function punctuationInside(text: string): string {
  const match = /(’?”)([.,])$/u.exec(text)
  if (!match) return text
  let at = match.index
  // A ’ before the ” closes an inner quotation only if one was opened after the “; else it is an apostrophe (“the students’”).
  if (match[1]!.length === 2 && text.lastIndexOf('‘') <= text.lastIndexOf('“')) at += 1
  return text.slice(0, at) + match[2] + text.slice(at, -1)
}
