/**
 * `index-term-variant`: an index heading used once whose spelling is nearly
 * another's ("Kim Il-sung" once, "Kim Il Sung" three times): the index
 * would list both, each with part of the pages. Nearly means the same
 * letters and digits once case, accents, spaces and punctuation are set
 * aside, or one letter apart in a term of six letters or more.
 */
import type { VFile } from 'vfile'
import { report } from '../diagnostics/rules.ts'
import type { Book, IndexMarkEntry } from '../model/types.ts'

export function checkIndexTerms(book: Book, files: Map<string, VFile>): void {
  const uses = new Map<string, { mark: IndexMarkEntry; source: string }[]>()
  for (const chapter of book.chapters) {
    for (const mark of chapter.indexMarks ?? []) uses.set(mark.term, [...(uses.get(mark.term) ?? []), { mark, source: chapter.source }])
  }
  const terms = [...uses.keys()]
  const keys = new Map(terms.map((term) => [term, key(term)]))
  for (const term of terms) {
    const marks = uses.get(term)!
    if (marks.length !== 1) continue
    const own = keys.get(term)!
    const other = terms.find((candidate) => candidate !== term && near(own, keys.get(candidate)!))
    if (other === undefined) continue
    const { mark, source } = marks[0]!
    const file = files.get(source)
    if (!file) continue
    const count = uses.get(other)!.length
    report(file, 'index-term-variant', `Index term “${term}” is used once, and “${other}” ${count === 1 ? 'once' : `${count} times`}: spell them the same (term="${other}"), or the index lists both`, { line: mark.line, column: mark.column })
  }
}

/** Letters and digits only, lowercased, accents removed. */
function key(term: string): string {
  return term.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')
}

function near(a: string, b: string): boolean {
  if (a === b) return true
  if (Math.min(a.length, b.length) < 6 || Math.abs(a.length - b.length) > 1) return false
  // One letter added, removed or changed.
  let i = 0
  while (i < a.length && a[i] === b[i]) i++
  return a.slice(i + (a.length >= b.length ? 1 : 0)) === b.slice(i + (b.length >= a.length ? 1 : 0))
}
