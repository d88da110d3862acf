/**
 * Where a note number sits. Authors put markers before the punctuation
 * ("…in 1947 [citation 2].") and often after a space; in a note style the
 * number goes after the punctuation, touching it ("…in 1947.²"), as pandoc
 * and the Chicago Manual place it.
 */
import type { Parent, Text } from 'mdast'

const punctuation = /^[.,;:!?…]+[”’"')\]]*/u

/**
 * Place the note reference at `parent.children[index]`: no space before it,
 * punctuation moved in front. Returns its index afterwards.
 */
export function placeNoteReference(parent: Parent, index: number): number {
  const before = parent.children[index - 1]
  const after = parent.children[index + 1]
  let moved = ''
  if (after?.type === 'text') {
    const match = punctuation.exec(after.value)
    if (match) {
      moved = match[0]
      after.value = after.value.slice(moved.length)
      if (after.value === '') parent.children.splice(index + 1, 1)
    }
  }
  if (before?.type === 'text') {
    before.value = before.value.replace(/[ \t]+$/, '') + moved
  } else if (moved) {
    parent.children.splice(index, 0, { type: 'text', value: moved } satisfies Text)
    return index + 1
  }
  return index
}
