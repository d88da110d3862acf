/**
 * Bring items from any reader to the CSL-JSON citeproc expects: string ids,
 * dates as `date-parts` (CSL-YAML and hand-written JSON often say
 * `issued: 2005` or `issued: 2005-03-01`), names as objects, and a short
 * title where the item has none.
 */
import type { CslItem } from './types.ts'

const dateFields = ['accessed', 'available-date', 'event-date', 'issued', 'original-date', 'submitted']
const nameFields = ['author', 'editor', 'translator', 'container-author', 'collection-editor', 'composer', 'director', 'editorial-director', 'illustrator', 'interviewer', 'original-author', 'recipient', 'reviewed-author']

/** The item as CSL-JSON, or the reason it cannot be one. */
export function normalizeItem(raw: Record<string, unknown>): CslItem | string {
  const id = raw.id
  if (typeof id !== 'string' && typeof id !== 'number') return 'has no `id`'
  if (String(id).trim() === '') return 'has an empty `id`'
  if (typeof raw.type !== 'string' || raw.type === '') return 'has no `type` (book, article-journal, chapter, webpage …)'
  const item: CslItem = { ...raw, id: String(id), type: raw.type }
  for (const field of dateFields) {
    if (field in item) item[field] = normalizeDate(item[field])
  }
  for (const field of nameFields) {
    if (field in item) item[field] = normalizeNames(item[field])
  }
  if (item['title-short'] === undefined) {
    const short = shortTitle(item.title)
    if (short) item['title-short'] = short
  }
  return item
}

/**
 * The main title before its subtitle ("Postwar: A History of Europe Since
 * 1945" → "Postwar"), for short notes, as pandoc derives it: citeproc-js
 * would repeat the whole title. Only a colon followed by a space divides
 * ("10:30"), and never inside markup ("<i>A: B</i>").
 */
function shortTitle(title: unknown): string | undefined {
  if (typeof title !== 'string') return undefined
  const colon = /:\s/.exec(title)
  if (!colon) return undefined
  const main = title.slice(0, colon.index).trim()
  const opened = main.match(/<[a-z]/gi)?.length ?? 0
  const closed = main.match(/<\//g)?.length ?? 0
  return main !== '' && opened === closed ? main : undefined
}

function normalizeDate(value: unknown): unknown {
  if (typeof value === 'number') return { 'date-parts': [[value]] }
  if (typeof value !== 'string') {
    // Old pandoc CSL-YAML: `issued: [{year: 2005, month: 3}]`.
    if (Array.isArray(value) && value.every((part) => typeof part === 'object' && part !== null && 'year' in part)) {
      return { 'date-parts': value.map((part: Record<string, unknown>) => [part.year, part.month, part.day].filter((n) => n !== undefined).map(Number)) }
    }
    return value
  }
  const parts = value.split('/').map((piece) => /^(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(piece.trim()))
  if (parts.every((match) => match !== null)) {
    return { 'date-parts': parts.map((match) => match!.slice(1).filter((n) => n !== undefined).map(Number)) }
  }
  return { literal: value }
}

function normalizeNames(value: unknown): unknown {
  const list = Array.isArray(value) ? value : [value]
  return list.map((name) => {
    if (typeof name !== 'string') return name
    const comma = name.indexOf(',')
    return comma > 0 ? { family: name.slice(0, comma).trim(), given: name.slice(comma + 1).trim() } : { literal: name }
  })
}
