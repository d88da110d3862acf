/** The pieces of content a page draws from, each with the resources its names refer to. */
import { PDFArray, PDFDict, PDFName, PDFStream, type PDFContext, type PDFObject, type PDFPageLeaf } from 'pdf-lib'
import { entriesOf, nameOf, numberOf } from './pdf-objects.ts'

/** Content with the resources it names things in: the page's, a form XObject's, a tiling pattern's, a Type 3 font's glyphs. */
export interface Scope { resources: PDFDict | undefined; contents: PDFStream[] }

/** The page's scopes, each form, pattern and Type 3 font once (forms may nest, and a cycle must not hang the reader). */
export function readScopes(context: PDFContext, page: PDFPageLeaf): Scope[] {
  const contents = context.lookup(page.get(PDFName.of('Contents')))
  const pageContents = contents instanceof PDFArray ? contents.asArray().map((item) => context.lookup(item)) : [contents]
  const scopes: Scope[] = []
  const seen = new Set<PDFObject>()
  const visit = (resources: PDFDict | undefined, streams: (PDFObject | undefined)[]) => {
    scopes.push({ resources, contents: streams.filter((stream) => stream instanceof PDFStream) })
    const own = (dict: PDFDict) => {
      const inner = dict.lookup(PDFName.of('Resources'))
      return inner instanceof PDFDict ? inner : resources // Old forms without resources use their parent's.
    }
    for (const child of [...entriesOf(context, resources, 'XObject'), ...entriesOf(context, resources, 'Pattern')].map(([, value]) => value)) {
      if (!(child instanceof PDFStream) || seen.has(child)) continue
      const isForm = nameOf(child.dict.lookup(PDFName.of('Subtype'))) === 'Form' || numberOf(child.dict.lookup(PDFName.of('PatternType'))) === 1
      if (isForm) seen.add(child), visit(own(child.dict), [child])
    }
    for (const [, font] of entriesOf(context, resources, 'Font')) {
      if (!(font instanceof PDFDict) || seen.has(font) || nameOf(font.lookup(PDFName.of('Subtype'))) !== 'Type3') continue
      const procs = font.lookup(PDFName.of('CharProcs'))
      seen.add(font)
      visit(own(font), procs instanceof PDFDict ? procs.values().map((proc) => context.lookup(proc)) : [])
    }
  }
  visit(page.Resources(), pageContents)
  return scopes
}
