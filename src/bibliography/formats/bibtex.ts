/**
 * BibTeX and BibLaTeX, read by citation-js (the maintained parser Zotero
 * exports are tested against), loaded only when a book has a `.bib` file.
 * citation-js gives no positions for entries, so each `@type{key,` is found
 * again in the text.
 */
import type { VFile } from 'vfile'
import { report } from '../../checks/rules.ts'
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
  let items: Record<string, unknown>[]
  try {
    items = plugins.input.chain(text, { forceType: '@biblatex/text', generateGraph: false })
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
  return items.map((item) => {
    // citation-js keeps the BibTeX key as `citation-key`; `id` may be rewritten.
    const key = typeof item['citation-key'] === 'string' ? item['citation-key'] : String(item.id)
    const offset = starts.get(key)?.shift()
    const place = offset === undefined ? undefined : pointAt(offset)
    const cleaned: Record<string, unknown> = { ...item, id: key }
    delete cleaned['citation-key']
    return place ? { item: cleaned, place } : { item: cleaned }
  })
}
