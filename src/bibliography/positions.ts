/**
 * CSL positions (first, subsequent, ibid, ibid-with-locator), `near-note`
 * and `first-reference-note-number` for a batch of citation clusters, decided
 * as citeproc-js 1.4 decides them in `processCitationCluster`, so a cluster
 * can be formatted alone (`makeCitationCluster`) and read as it would in
 * citeproc's own batch. The rules, quirks included, follow its code:
 *
 * - in-text clusters (note 0) and clusters in notes are two separate runs;
 * - a note number lower than the one before starts the notes' run afresh;
 * - "Ibid." needs the same work just before: the item before it in the same
 *   cluster; or, for a cluster's first item, the first item of the previous
 *   cluster when that is in the previous note and was that note's only item;
 *   or the last item of the previous cluster in the same note;
 * - the locators compared are the previous cluster's *first* item's, even when
 *   the work matched was its last (citeproc's own choice, kept);
 * - `near-note` when the work was cited at most `nearNoteDistance` notes before
 *   (in-text: whenever it is not the first citation).
 *
 * Works are compared by id alone: items with `legislation_id` or
 * `container_id` (Juris-M's extensions) are left to citeproc by the caller.
 */

export type CslPosition = 'first' | 'subsequent' | 'ibid' | 'ibid-with-locator'

/** One cited item, in citeproc's order within its cluster, with its locator as citeproc parsed it. */
export interface PositionItem {
  id: string
  locator?: string | undefined
  label?: string | undefined
  /** citeproc's `locator-extra`: what follows a `|` in a locator. */
  locatorExtra?: string | undefined
}

export interface PositionCluster {
  /** The note the cluster is in; 0 in the running text. */
  noteIndex: number
  items: PositionItem[]
}

/** What citeproc sets on a cited item before formatting it. */
export interface ItemPosition {
  position: CslPosition
  nearNote: boolean
  /** The note that first cited the work, or 0 when that is this note (or the running text). */
  firstReferenceNoteNumber: number
}

export interface PositionOptions {
  /** The style's `near-note-distance` (default: 5). */
  nearNoteDistance?: number
}

/** The positions of every item of every cluster, in the clusters' order. */
export function computePositions(clusters: readonly PositionCluster[], options: PositionOptions = {}): ItemPosition[][] {
  const nearNoteDistance = options.nearNoteDistance ?? 5
  const result: ItemPosition[][] = clusters.map((cluster) => cluster.items.map(() => ({ position: 'first', nearNote: false, firstReferenceNoteNumber: 0 })))
  // Items counted per note, over both runs and reset with the notes' run (as citeproc's `citationsInNote`).
  let itemsInNote = new Map<number, number>()
  const runs = [clusters.flatMap((cluster, index) => (cluster.noteIndex ? [] : [index])), clusters.flatMap((cluster, index) => (cluster.noteIndex ? [index] : []))]
  for (const run of runs) {
    // The note (0 in the text) that first and last cited each work.
    let firstRef = new Map<string, number>()
    let lastRef = new Map<string, number>()
    run.forEach((clusterIndex, j) => {
      const cluster = clusters[clusterIndex]!
      const prev = j > 0 ? clusters[run[j - 1]!]! : undefined
      if (prev && cluster.noteIndex && prev.noteIndex > cluster.noteIndex) {
        itemsInNote = new Map()
        firstRef = new Map()
        lastRef = new Map()
      }
      itemsInNote.set(cluster.noteIndex, (itemsInNote.get(cluster.noteIndex) ?? 0) + cluster.items.length)
      cluster.items.forEach((item, k) => {
        const out = result[clusterIndex]![k]!
        if (!lastRef.has(item.id)) {
          firstRef.set(item.id, cluster.noteIndex)
          lastRef.set(item.id, cluster.noteIndex)
          out.position = 'first'
        } else {
          let ibid = false
          if (prev && k === 0 && prev.noteIndex !== cluster.noteIndex) {
            // The previous note's first work, if that note cited nothing else and is this one or the one before.
            const before = prev.items[0]!
            ibid = before.id === item.id && prev.noteIndex >= cluster.noteIndex - 1 && (itemsInNote.get(prev.noteIndex) === 1 || prev.noteIndex === 0) && before.locatorExtra === item.locatorExtra
          } else if (k > 0) {
            const before = cluster.items[k - 1]!
            ibid = before.id === item.id && same(before.locatorExtra, item.locatorExtra)
          } else if (prev && k === 0 && prev.noteIndex === cluster.noteIndex) {
            const last = prev.items.at(-1)!
            ibid = last.id === item.id && same(last.locatorExtra, item.locatorExtra)
          }
          let position: CslPosition = 'subsequent'
          if (ibid) {
            // The locators compared: the item before in this cluster, or the previous cluster's first.
            const before = k > 0 ? cluster.items[k - 1]! : prev!.items[0]!
            const previous = locatorKey(before)
            const current = locatorKey(item)
            if (!previous) position = current ? 'ibid-with-locator' : 'ibid'
            else if (!current) position = 'subsequent'
            else position = current === previous ? 'ibid' : 'ibid-with-locator'
          }
          out.position = position
          const first = firstRef.get(item.id)!
          if (first !== cluster.noteIndex) out.firstReferenceNoteNumber = first
        }
        if (cluster.noteIndex) {
          if (out.position !== 'first' && cluster.noteIndex - lastRef.get(item.id)! <= nearNoteDistance) out.nearNote = true
          lastRef.set(item.id, cluster.noteIndex)
        } else if (out.position !== 'first') {
          out.nearNote = true
        }
      })
    })
  }
  return result
}

/** citeproc's `locator + label`, or nothing without a locator. */
function locatorKey(item: PositionItem): string | undefined {
  return item.locator ? `${item.locator}${item.label ?? ''}` : undefined
}

/** citeproc compares `locator-extra` with `==`: undefined and null alike. */
function same(a: string | undefined, b: string | undefined): boolean {
  return (a ?? undefined) === (b ?? undefined)
}
