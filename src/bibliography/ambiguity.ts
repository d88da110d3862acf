/**
 * Which works citeproc's disambiguation could reach: two works whose cites
 * read alike (citeproc's own "ambiguous cite" keys, which the caller reads
 * from its registry), or, when the style adds given names, two people with
 * one family name. A batch citing any of them goes to citeproc whole; a
 * batch citing none formats each cluster alone to the same text.
 * Deliberately coarse: a false alarm costs time, a miss costs correctness.
 */
import type { CslItem } from './types.ts'

/** The works whose cites read alike, by citeproc's own "ambiguous cite" key for each work, each with the reason. */
export function findWorksCitedAlike(ambigKeys: ReadonlyMap<string, string>): Map<string, string> {
  const found = new Map<string, string>()
  const byKey = new Map<string, string[]>()
  for (const [id, key] of ambigKeys) byKey.set(key, [...(byKey.get(key) ?? []), id])
  for (const ids of byKey.values()) {
    if (ids.length < 2) continue
    for (const id of ids) found.set(id, `${ids.join(' and ')} are cited alike`)
  }
  return found
}

/**
 * The works naming a person whose family name another person of the works
 * shares, each with the reason: what a style that adds given names expands.
 * Every name of every work counts, not only those a cite shows (et al. may
 * hide some; a clash there is rare).
 */
export function findWorksSharingFamilyNames(items: readonly CslItem[]): Map<string, string> {
  const byFamily = new Map<string, { givens: Set<string>; ids: Set<string>; name: string }>()
  for (const item of items) {
    for (const name of namesOf(item)) {
      if (typeof name.family !== 'string') continue
      const family = name.family.trim().toLowerCase()
      const entry = byFamily.get(family) ?? { givens: new Set<string>(), ids: new Set<string>(), name: name.family }
      entry.givens.add(typeof name.given === 'string' ? name.given.trim() : '')
      entry.ids.add(item.id)
      byFamily.set(family, entry)
    }
  }
  const found = new Map<string, string>()
  for (const { givens, ids, name } of byFamily.values()) {
    if (givens.size < 2) continue
    for (const id of ids) found.set(id, `two people are called ${name}`)
  }
  return found
}

/** The names in any of the item's name variables (author, editor, translator, …). */
function namesOf(item: CslItem): Record<string, unknown>[] {
  return Object.values(item).flatMap((value) => (Array.isArray(value) ? value.filter((name): name is Record<string, unknown> => typeof name === 'object' && name !== null && ('family' in name || 'literal' in name)) : []))
}
