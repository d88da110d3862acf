/** pdfjs, loaded once, with the natives it replaces put back. */

export type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs')
let pdfjs: Promise<Pdfjs> | undefined

/**
 * pdfjs's legacy build (Node 20 lacks what the modern one needs), loaded
 * when first needed: its two modules replace `Array.prototype.push` and
 * `JSON.parse` with core-js versions, for edge cases no PDF reaches, which
 * make every push and parse in the process several times slower. So the
 * worker's module is loaded here too (pdfjs then runs it in this thread, as
 * it would have), and the natives are put back after both; what they only
 * add (Set methods, DOMMatrix …) stays.
 */
export function loadPdfjs(): Promise<Pdfjs> {
  return (pdfjs ??= (async () => {
    const { push } = Array.prototype
    const { parse } = JSON
    const module = await import('pdfjs-dist/legacy/build/pdf.mjs')
    // @ts-expect-error: pdfjs ships no types for its worker's module, whose only export here is its side effect.
    await import('pdfjs-dist/legacy/build/pdf.worker.mjs')
    Array.prototype.push = push
    JSON.parse = parse
    return module
  })())
}
