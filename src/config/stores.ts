/**
 * What the print-on-demand services ask of a paperback, for `print: preset:`.
 * The figures are the stores' published ones (KDP's "Paperback submission
 * guidelines" and cover calculator, IngramSpark's file creation guide); the
 * README names the pages. Book.yaml picks a store; the page geometry, the
 * cover and the preflight all read the same table.
 */
import type { Trim } from './schema.ts'

export type StoreId = 'kdp' | 'ingramspark'
export type Paper = 'white' | 'cream' | 'color'

/** A trim size a store offers, in inches. */
export interface StoreTrim {
  width: number
  height: number
}

export interface Store {
  id: StoreId
  name: string
  trims: StoreTrim[]
  pages: { min: number; max: number }
  /** Spine width per page, in inches, by paper. */
  spinePerPage: Record<Paper, number>
  /** The least margin at the top, foot and outside edge, from the trim line (inches). */
  minMargin: number
  /** Spine text only from this many pages (a thinner spine is left plain). */
  spineTextPages: number
  /** Clear space on each side of the spine's text (inches). */
  spineClearance: number
  /** The store asks for PDF/X-1a (CMYK) files. */
  wantsPdfX: boolean
}

/** Bleed: how far art that meets the edge runs past the trim (inches). */
export const BLEED = 0.125

/** The barcode's box on the back cover, and its distance from the trim's foot and spine side (inches). */
export const BARCODE = { width: 2, height: 1.2, inset: 0.25 }

/** KDP's inside margin by page count; IngramSpark publishes none, and binds the same way, so it gets the same. */
const GUTTER_BANDS: { upTo: number; gutter: number }[] = [
  { upTo: 150, gutter: 0.375 },
  { upTo: 300, gutter: 0.5 },
  { upTo: 500, gutter: 0.625 },
  { upTo: 700, gutter: 0.75 },
  { upTo: Infinity, gutter: 0.875 },
]

const KDP_TRIMS: StoreTrim[] = [
  [5, 8], [5.06, 7.81], [5.25, 8], [5.5, 8.5], [6, 9], [6.14, 9.21], [6.69, 9.61], [7, 10], [7.44, 9.69], [7.5, 9.25], [8, 10], [8.25, 6], [8.25, 8.25], [8.5, 8.5], [8.5, 11], [8.27, 11.69],
].map(([width, height]) => ({ width: width!, height: height! }))

const INGRAM_TRIMS: StoreTrim[] = [
  [4, 6], [4.25, 7], [4.37, 7], [5, 7], [5, 8], [5.06, 7.81], [5.25, 8], [5.5, 8.5], [5.83, 8.27], [6, 9], [6.14, 9.21], [6.69, 9.61], [7, 10], [7.44, 9.69], [7.5, 9.25], [8, 10], [8.25, 11], [8.27, 11.69], [8.5, 8.5], [8.5, 11],
].map(([width, height]) => ({ width: width!, height: height! }))

export const stores: Record<StoreId, Store> = {
  kdp: {
    id: 'kdp',
    name: 'KDP',
    trims: KDP_TRIMS,
    pages: { min: 24, max: 828 },
    spinePerPage: { white: 0.002252, cream: 0.0025, color: 0.002347 },
    minMargin: 0.25,
    spineTextPages: 80,
    spineClearance: 0.0625,
    wantsPdfX: false,
  },
  ingramspark: {
    id: 'ingramspark',
    name: 'IngramSpark',
    trims: INGRAM_TRIMS,
    pages: { min: 18, max: 1200 },
    // IngramSpark's template generator gives the exact figure; its stocks are within a hair of KDP's.
    spinePerPage: { white: 0.002252, cream: 0.0025, color: 0.002347 },
    minMargin: 0.5,
    spineTextPages: 48,
    spineClearance: 0.0625,
    wantsPdfX: true,
  },
}

/** The resolved `print: preset` settings. */
export interface PrintPreset {
  store: StoreId
  paper: Paper
  /** Pages carry 0.125 in of bleed at the top, foot and outside edge. */
  bleed: boolean
}

/** The trim in inches. */
export function trimInches(trim: Trim): StoreTrim {
  const factor = trim.unit === 'mm' ? 1 / 25.4 : 1
  return { width: trim.width * factor, height: trim.height * factor }
}

/** The store's trim matching this one within a hundredth of an inch (148 × 210 mm is 5.83 × 8.27 in), or undefined. */
export function storeTrim(store: Store, trim: Trim): StoreTrim | undefined {
  const { width, height } = trimInches(trim)
  return store.trims.find((offered) => Math.abs(offered.width - width) < 0.011 && Math.abs(offered.height - height) < 0.011)
}

/** The store's trims as an author writes them: "5x8in, 5.06x7.81in, …". */
export function trimList(store: Store): string {
  return store.trims.map((trim) => `${trim.width}x${trim.height}in`).join(', ')
}

/** The least inside margin for a book of `pages` pages (inches). */
export function gutterFor(pages: number): number {
  return GUTTER_BANDS.find((band) => pages <= band.upTo)!.gutter
}

/** Which band of the gutter table a page count falls in, from 0. */
export function bandOf(pages: number): number {
  return GUTTER_BANDS.findIndex((band) => pages <= band.upTo)
}

/** The most pages a band holds (Infinity for the last). */
export function bandEnd(band: number): number {
  return GUTTER_BANDS[band]!.upTo
}

/** The page-count band a book falls in, as "151–300 pages" for messages. */
export function bandName(pages: number): string {
  const index = bandOf(pages)
  const to = GUTTER_BANDS[index]!.upTo
  if (index === 0) return `up to ${to} pages`
  const from = GUTTER_BANDS[index - 1]!.upTo + 1
  return to === Infinity ? `over ${from - 1} pages` : `${from}–${to} pages`
}

/** The spine's width for a page count on a paper (inches). */
export function spineWidth(store: Store, paper: Paper, pages: number): number {
  return pages * store.spinePerPage[paper]
}

/** The full-wrap cover's size with bleed on every side (inches). */
export function coverSize(store: Store, preset: PrintPreset, trim: StoreTrim, pages: number): { width: number; height: number; spine: number } {
  const spine = spineWidth(store, preset.paper, pages)
  return { width: 2 * trim.width + spine + 2 * BLEED, height: trim.height + 2 * BLEED, spine }
}
