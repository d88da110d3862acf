/**
 * What the last print taught about each part's length. Screen measurement
 * is sometimes off by a line, which costs a second print of the whole book
 * (see paginate.ts); the corrected lengths of the parts that printed right
 * are kept under a key of the part's markup and the styles, and the next
 * build starts from them for every part that has not changed. They are
 * only a better first guess: the printed PDF is still checked against the
 * plan, and a wrong guess is corrected and printed again as before.
 */
import type { Element } from 'hast'
import { toHtml } from 'hast-util-to-html'
import { cacheKey, openCache } from '../../cache/store.ts'
import type { MeasuredPart } from './paginate.ts'

const KIND = 'pdf-parts'

export interface MeasureMemory {
  /** `measured` with every unchanged part's remembered length and target pages in place of the screen's. */
  recall(measured: MeasuredPart[]): Promise<MeasuredPart[]>
  /** The remembered measurement of each of these parts that has one. */
  lookup(ids: string[]): Promise<Map<string, MeasuredPart>>
  /** Keep these lengths, which a print confirmed; forget the rest. */
  remember(measured: MeasuredPart[]): Promise<void>
}

/**
 * `parts`: each part's element by id; `context`: everything else its layout
 * depends on (styles, page size). Without `cacheDir`, nothing is recalled or kept.
 */
export function measureMemory(cacheDir: string | undefined, parts: Map<string, Element>, context: string[]): MeasureMemory {
  // No cache: no need to serialize every part for keys nobody will use.
  if (!cacheDir) return { recall: async (measured) => measured, lookup: async () => new Map(), remember: async () => {} }
  const cache = openCache(cacheDir)
  const keys = new Map([...parts].map(([id, element]) => [id, cacheKey(KIND, ...context, toHtml(element))]))
  return {
    async recall(measured) {
      return Promise.all(measured.map(async (part) => (await cache.get<MeasuredPart>(KIND, keys.get(part.id)!)) ?? part))
    },
    async lookup(ids) {
      const found = await Promise.all(ids.map(async (id) => [id, await cache.get<MeasuredPart>(KIND, keys.get(id)!)] as const))
      return new Map(found.filter((entry): entry is readonly [string, MeasuredPart] => entry[1] !== undefined))
    },
    async remember(measured) {
      await Promise.all(measured.map((part) => cache.set(KIND, keys.get(part.id)!, part)))
      await cache.prune(KIND)
    },
  }
}
