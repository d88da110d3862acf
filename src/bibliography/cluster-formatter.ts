/**
 * Formatting a batch of citations cluster by cluster (`makeCitationCluster`)
 * to the text citeproc's own batch (`rebuildProcessorState`) would give,
 * when that can be proved: no work of the batch ambiguous (ambiguity.ts),
 * each cited item carrying the position citeproc would have given it
 * (positions.ts). It reads parts of citeproc-js 1.4's engine outside its
 * documented API, so it is kept apart from the adapter (engine.ts), which
 * alone calls it.
 */
import type { CitationItem as CiteprocItem } from 'citeproc'
import { findWorksCitedAlike, findWorksSharingFamilyNames } from './ambiguity.ts'
import { citeproc } from './citeproc.ts'
import type { CiteCluster, CiteItem } from './engine.ts'
import { computePositions, type CslPosition, type PositionItem } from './positions.ts'
import type { CslItem } from './types.ts'

/** The parts of citeproc-js 1.4's engine that formatting cluster by cluster reads: not its documented API, so read here alone. */
interface EngineInternals {
  opt: {
    update_mode: number
    grouped_sort?: boolean
    parallel?: { enable?: boolean }
    development_extensions: Record<string, boolean>
    'disambiguate-add-givenname'?: boolean
  }
  citation: { opt: { 'near-note-distance'?: number } }
  citation_sort: { tokens: unknown[] }
  registry: { registry: Record<string, { ambig?: string } | undefined> }
  retrieveItem(id: string): CslItem
  getTerm(term: string): unknown
  updateItems(ids: string[]): void
  makeCitationCluster(items: PlacedItem[]): string
}

/** A cited item with the position fields citeproc's batch would have set on it. */
type PlacedItem = CiteprocItem & { position?: number; 'near-note'?: boolean; 'first-reference-note-number'?: number; 'first-container-reference-note-number'?: number }

interface CslInternals {
  NUMERIC: number
  POSITION: number
  POSITION_FIRST: number
  POSITION_SUBSEQUENT: number
  POSITION_IBID: number
  POSITION_IBID_WITH_LOCATOR: number
  LOCATOR_LABELS_REGEXP: RegExp
  LOCATOR_LABELS_MAP: Record<string, string>
  parseLocator(this: unknown, item: Record<string, unknown>): Record<string, unknown>
}

/** A batch formatted cluster by cluster, but for `rest`, which needs a batch of its own (then `restore` the registry); or why the batch must be citeproc's. */
export type ClusterPlan = { html: Map<string, string>; rest: CiteCluster[]; restore: () => void } | { reason: string }

/** Types whose locators citeproc never reads as "p. 12" (legal ones). */
const LEGAL_TYPES = ['bill', 'gazette', 'legislation', 'regulation', 'treaty']

/**
 * Format batches cluster by cluster with `makeCitationCluster`, when that gives
 * the text citeproc's batch would. The works of all the batches are registered
 * once (citeproc's batch registers its own each time, which is most of its
 * cost); each cluster's items carry the positions citeproc's batch would have
 * given them; and a cluster formatted once (same items, same positions) is not
 * formatted again: short notes repeat.
 */
export function createClusterFormatter(citeprocEngine: unknown, toCiteproc: (item: CiteItem) => CiteprocItem): (batches: CiteCluster[][]) => ClusterPlan[] {
  const engine = citeprocEngine as EngineInternals
  const CSL = citeproc() as unknown as CslInternals
  const positional = engine.opt.update_mode === CSL.POSITION
  const sorted = engine.citation_sort.tokens.length > 0
  const styleReason = engine.opt.update_mode === CSL.NUMERIC ? 'the style numbers its citations' : engine.opt.parallel?.enable ? 'the style has parallel cites' : undefined
  const codes: Record<CslPosition, number> = { first: CSL.POSITION_FIRST, subsequent: CSL.POSITION_SUBSEQUENT, ibid: CSL.POSITION_IBID, 'ibid-with-locator': CSL.POSITION_IBID_WITH_LOCATOR }
  const memo = new Map<string, string>()
  const render = (items: PlacedItem[]) => {
    const key = JSON.stringify(items)
    let html = memo.get(key)
    if (html === undefined) memo.set(key, (html = engine.makeCitationCluster(items)))
    return html
  }
  // The locator and label as processCitationCluster compares them: split at "|", "p. 12" read as a label.
  const parsed = (item: CiteItem): PositionItem => {
    const raw = CSL.parseLocator.call(engine, { ...toCiteproc(item) })
    let locator = raw.locator as string | undefined
    let label = raw.label as string | undefined
    if (engine.opt.development_extensions.locator_label_parse && locator && !LEGAL_TYPES.includes(engine.retrieveItem(item.key).type) && (!label || label === 'page')) {
      const match = CSL.LOCATOR_LABELS_REGEXP.exec(locator)
      const tryLabel = match ? CSL.LOCATOR_LABELS_MAP[match[2]!] : undefined
      if (match && tryLabel && engine.getTerm(tryLabel)) {
        label = tryLabel
        locator = match[3]
      }
    }
    return { id: item.key, locator, label, locatorExtra: raw['locator-extra'] as string | undefined }
  }
  const batchReason = (clusters: CiteCluster[]): string | undefined => {
    // Positions need the order citeproc sorts a cluster's items in, which only its batch knows.
    if (positional && sorted && clusters.some((cluster) => cluster.items.length > 1)) return 'the style sorts the works of a citation'
    for (const { items } of clusters) {
      for (const item of items) {
        if (item.locator?.includes('|')) return `the locator "${item.locator}" has a "|"`
        const cited = engine.retrieveItem(item.key)
        if (cited.legislation_id || cited.container_id) return `${item.key} has Juris-M ids`
      }
    }
    return undefined
  }

  return (batches) => {
    if (styleReason) return batches.map(() => ({ reason: styleReason }))
    const reasons = batches.map(batchReason)
    if (reasons.every(Boolean)) return reasons.map((reason) => ({ reason: reason! }))
    // The registry as citeproc's batch would fill it, with every batch's works: in order of first citation.
    const keys = [...new Set(batches.flatMap((clusters) => clusters.flatMap((cluster) => cluster.items.map((item) => item.key))))]
    const register = () => {
      engine.updateItems([])
      engine.updateItems(keys)
    }
    // Names first: they need no registry, and registering is most of what a batch costs.
    const ambiguous = engine.opt['disambiguate-add-givenname'] ? findWorksSharingFamilyNames(keys.map((key) => engine.retrieveItem(key))) : new Map<string, string>()
    const blocked = (clusters: CiteCluster[]) => clusters.flatMap((cluster) => cluster.items.map((item) => ambiguous.get(item.key))).find(Boolean)
    if (batches.every((clusters, index) => reasons[index] ?? blocked(clusters))) return batches.map((clusters, index) => ({ reason: (reasons[index] ?? blocked(clusters))! }))
    register()
    const ambigKeys = new Map<string, string>()
    for (const key of keys) {
      const ambig = engine.registry.registry[key]?.ambig
      if (ambig === undefined) ambiguous.set(key, `citeproc did not register ${key}`)
      else ambigKeys.set(key, ambig)
    }
    for (const [key, reason] of findWorksCitedAlike(ambigKeys)) ambiguous.set(key, reason)
    return batches.map((clusters, batchIndex): ClusterPlan => {
      const reason = reasons[batchIndex] ?? blocked(clusters)
      if (reason) return { reason }
      // citeproc decides positions only for styles that test them; without, no cite carries one.
      const positions = positional
        ? computePositions(clusters.map((cluster) => ({ noteIndex: cluster.noteIndex, items: cluster.items.map(parsed) })), { nearNoteDistance: engine.citation.opt['near-note-distance'] ?? 5 })
        : undefined
      const html = new Map<string, string>()
      const rest: CiteCluster[] = []
      clusters.forEach((cluster, index) => {
        if (engine.opt.grouped_sort && sorted && cluster.items.length > 1) {
          rest.push(cluster)
          return
        }
        const items = cluster.items.map((item, k): PlacedItem => {
          const at = positions?.[index]![k]
          return at
            ? { ...toCiteproc(item), position: codes[at.position], 'near-note': at.nearNote, 'first-reference-note-number': at.firstReferenceNoteNumber, 'first-container-reference-note-number': at.firstReferenceNoteNumber }
            : toCiteproc(item)
        })
        html.set(cluster.id, render(items))
      })
      return { html, rest, restore: register }
    })
  }
}
