/**
 * CSL-JSON, the format Zotero's "Better CSL JSON" and pandoc write: an array
 * of items (or `{ "items": [...] }`). `JSON.parse` is fast but only reports an
 * offset on errors, and no positions for items, so each item's `"id"` is found
 * again in the text to point diagnostics at it.
 */
import type { VFile } from 'vfile'
import { report } from '../../diagnostics/rules.ts'
import type { ReadEntry } from '../types.ts'
import { pointsOf } from './points.ts'

export function readCslJson(text: string, file: VFile): ReadEntry[] {
  const pointAt = pointsOf(text)
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    const message = (error as Error).message
    const offset = /position (\d+)/.exec(message)?.[1]
    report(file, 'bibliography-syntax', `Invalid JSON in a CSL-JSON bibliography: ${message}. Fix the file or export it again from your reference manager`, offset === undefined ? { line: 1, column: 1 } : pointAt(Number(offset)))
    return []
  }
  const items = Array.isArray(data) ? data : isObject(data) && Array.isArray(data.items) ? data.items : undefined
  if (!items) {
    report(file, 'bibliography-syntax', 'Expected a CSL-JSON array of references (`[{"id": …, "type": …}, …]`)', { line: 1, column: 1 })
    return []
  }
  // Find each item's id in order, so duplicate ids still get their own lines.
  let searchFrom = 0
  return items.map((item: unknown) => {
    if (!isObject(item)) return { item: {} }
    const id = item.id
    const at = typeof id === 'string' || typeof id === 'number' ? findId(text, String(id), searchFrom) : -1
    if (at >= 0) searchFrom = at + 1
    const place = at >= 0 ? pointAt(at) : undefined
    return place ? { item, place } : { item }
  })
}

function findId(text: string, id: string, from: number): number {
  const pattern = new RegExp(String.raw`"id"\s*:\s*"?${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?\s*[,}\n]`, 'g')
  pattern.lastIndex = from
  return pattern.exec(text)?.index ?? -1
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
