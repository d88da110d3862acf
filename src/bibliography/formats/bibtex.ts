/**
 * BibTeX and BibLaTeX, read by citation-js (the maintained parser Zotero
 * exports are tested against), loaded only when a book has a `.bib` file.
 * citation-js gives no positions for entries, so each `@type{key,` is found
 * again in the text. Two gaps in its mapping are filled from the entry's own
 * fields: Zotero's `@article` with `entrysubtype = {newspaper}` (or
 * `{magazine}`) is a newspaper (magazine) article, not a journal article of
 * genre "newspaper"; and a `day` beside a month written as a word is kept.
 */
import type { BiblatexEntry } from '@citation-js/core'
import type { VFile } from 'vfile'
import { report } from '../../diagnostics/rules.ts'
import type { ReadEntry } from '../types.ts'
import { pointsOf } from './points.ts'

let citationJs: Promise<typeof import('@citation-js/core')> | undefined

async function loadCitationJs() {
  citationJs ??= (async () => {
    const core = await import('@citation-js/core')
    await import('@citation-js/plugin-bibtex')
    return core
  })()
  return citationJs
}

export async function readBibtex(text: string, file: VFile): Promise<ReadEntry[]> {
  const { plugins } = await loadCitationJs()
  const pointAt = pointsOf(text)
  let entries: BiblatexEntry[]
  let items: Record<string, unknown>[]
  try {
    // Parsed to entries first, then mapped: the same work as one chain, with the raw fields kept.
    entries = plugins.input.chain(text, { forceType: '@biblatex/text', generateGraph: false, target: '@biblatex/entries+list' })
    items = plugins.input.chain(entries, { forceType: '@biblatex/entries+list', generateGraph: false })
  } catch (error) {
    const message = (error as Error).message
    const where = /line (\d+) col (\d+)/.exec(message)
    report(file, 'bibliography-syntax', `Invalid BibTeX: ${message.split('\n')[0]!.replace(/:$/, '')}. Check the braces and commas of that entry`, where ? { line: Number(where[1]), column: Number(where[2]) } : { line: 1, column: 1 })
    return []
  }
  const starts = new Map<string, number[]>()
  for (const match of text.matchAll(/@\s*\w+\s*[{(]\s*([^\s,{}()]+)\s*,/g)) {
    const list = starts.get(match[1]!) ?? []
    list.push(match.index)
    starts.set(match[1]!, list)
  }
  const fields = new Map(entries.map((entry) => [entry.label, entry.properties]))
  return items.map((item) => {
    // citation-js keeps the BibTeX key as `citation-key`; `id` may be rewritten.
    const key = typeof item['citation-key'] === 'string' ? item['citation-key'] : String(item.id)
    const offset = starts.get(key)?.shift()
    const place = offset === undefined ? undefined : pointAt(offset)
    const cleaned: Record<string, unknown> = { ...item, id: key }
    delete cleaned['citation-key']
    completeItem(cleaned, fields.get(key) ?? {})
    return place ? { item: cleaned, place } : { item: cleaned }
  })
}

/** Periodicals that BibLaTeX files as `@article` with an `entrysubtype`, and their CSL types. */
const periodicalTypes: Record<string, string> = { newspaper: 'article-newspaper', magazine: 'article-magazine' }

/** Fill what citation-js's mapping leaves out, from the entry's raw fields. */
function completeItem(item: Record<string, unknown>, fields: Record<string, unknown>): void {
  const subtype = typeof item.genre === 'string' ? periodicalTypes[item.genre.toLowerCase()] : undefined
  if (item.type === 'article-journal' && subtype) {
    // As a journal article, Chicago prints the genre ("…,” newspaper, The New York Times) and APA only the year.
    item.type = subtype
    delete item.genre
  }
  // citation-js reads `day` only beside a numeric month (`month = aug`), not `month = {August}`.
  const parts = (item.issued as { 'date-parts'?: unknown[][] } | undefined)?.['date-parts']
  const day = Number(fields.day)
  if (fields.date === undefined && parts?.length === 1 && parts[0]!.length === 2 && Number.isInteger(day) && day >= 1 && day <= 31) parts[0]!.push(day)
}
