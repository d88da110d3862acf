/**
 * CSL-YAML, as pandoc reads it: a list of items, either at the top level or
 * under `references:`. The yaml parser gives every item a position.
 */
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml'
import type { VFile } from 'vfile'
import { report } from '../../diagnostics/rules.ts'
import type { ReadEntry } from '../types.ts'
import { yamlToJs } from '../../config/yaml-errors.ts'

export function readCslYaml(text: string, file: VFile): ReadEntry[] {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false })
  const pointAt = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset)
    return { line, column: col }
  }
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      report(file, 'bibliography-syntax', `Invalid YAML in a CSL-YAML bibliography: ${error.message.split('\n')[0]}`, pointAt(error.pos[0]))
    }
    return []
  }
  // Converted whole once first: an alias bomb or an alias to nothing is refused before any item is read.
  const converted = yamlToJs(doc)
  if (!converted.ok) {
    report(file, 'bibliography-syntax', `Invalid YAML in a CSL-YAML bibliography: ${converted.reason}`, pointAt(converted.offset))
    return []
  }
  let list: YamlNode | null | undefined = doc.contents
  if (isMap(list)) list = list.get('references', true) as YamlNode | undefined
  if (!isSeq(list)) {
    report(file, 'bibliography-syntax', 'Expected a CSL-YAML list of references, at the top level or under `references:`', pointAt(0))
    return []
  }
  const data = converted.value as unknown[] | { references: unknown[] }
  // Values from the whole document's conversion, so an alias to another item's anchor is its value.
  const values = Array.isArray(data) ? data : data.references
  return list.items.map((node, index) => {
    const item = values[index]
    const start = (node as YamlNode).range?.[0]
    const entry: ReadEntry = { item: typeof item === 'object' && item !== null && !Array.isArray(item) ? (item as Record<string, unknown>) : {} }
    if (start !== undefined) entry.place = pointAt(start)
    return entry
  })
}
