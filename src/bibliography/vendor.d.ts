/**
 * The slices of citeproc-js and citation-js that Quire uses. Neither ships
 * types; these follow their documentation (citeproc-js.readthedocs.io,
 * citation.js.org) and are kept narrow on purpose.
 */
declare module 'citeproc' {
  /** A CSL-JSON item, as citeproc reads it. */
  export type CslItem = { id: string; type: string; [field: string]: unknown }

  export interface CiteprocSys {
    retrieveLocale(lang: string): unknown
    retrieveItem(id: string): CslItem | undefined
    wrapCitationEntry?(html: string, itemId: string, locatorText: string, suffixText: string): string
  }

  export interface CitationItem {
    id: string
    locator?: string
    label?: string
    prefix?: string
    suffix?: string
    'suppress-author'?: boolean
    'author-only'?: boolean
  }

  export interface Citation {
    citationID?: string
    citationItems: CitationItem[]
    properties: { noteIndex: number; index?: number }
  }

  export interface BibliographyParams {
    entry_ids: string[][]
    hangingindent: boolean | number
    'second-field-align': false | 'flush' | 'margin'
    bibliography_errors: unknown[]
  }

  export class Engine {
    constructor(sys: CiteprocSys, style: unknown, lang?: string, forceLang?: boolean)
    opt: { development_extensions: Record<string, boolean>; xclass: string }
    /** Format a cluster without registering it (no position tracking). */
    makeCitationCluster(items: CitationItem[]): string
    /** Process citations in document order from a fresh state: [citationID, noteIndex, html] per citation. */
    rebuildProcessorState(citations: Citation[], mode?: 'html' | 'text', uncited?: string[]): [string, number, string][]
    updateItems(ids: string[]): void
    makeBibliography(): [BibliographyParams, string[]] | false
  }

  /** A style or locale in citeproc's JSON form of the XML. */
  export interface XmlJson {
    name: string
    attrs: Record<string, string>
    children: (XmlJson | string)[]
  }

  const CSL: { Engine: typeof Engine; parseXml(xml: string): XmlJson; debug(message: string): void }
  export default CSL
}

declare module '@citation-js/core' {
  /** A BibTeX entry as parsed, before mapping to CSL: its type, key and raw fields. */
  export interface BiblatexEntry {
    type: string
    label: string
    properties: Record<string, unknown>
  }
  export const plugins: {
    input: {
      chain(data: string, options: { forceType: '@biblatex/text'; generateGraph?: boolean; target: '@biblatex/entries+list' }): BiblatexEntry[]
      chain(data: string | BiblatexEntry[], options: { forceType: string; generateGraph?: boolean; target?: string }): Record<string, unknown>[]
    }
  }
}

declare module '@citation-js/plugin-bibtex' {}
