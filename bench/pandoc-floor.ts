/**
 * The PDF floor: pandoc's standalone HTML of the same book, printed
 * by a freshly launched Chromium with one plain `page.pdf()` at Quire's trim,
 * launch included, as a whole print would cost an author. Its page count
 * differs from Quire's (other type, other margins), so the bench compares
 * Quire against it scaled to Quire's page count: the cost per page of a
 * plain book, times Quire's pages.
 */
import { pathToFileURL } from 'node:url'
import { createBrowserSession, openLockedPage } from '../src/browser/session.ts'
import { pageCount } from '../src/render/pdf/pdf-file.ts'

export interface PlainPrint {
  ms: number
  pages: number
}

/** Print `html` plainly at `size` (points); the time runs from launching the browser to the PDF's bytes. */
export async function printPlain(html: string, size: { width: number; height: number }): Promise<PlainPrint> {
  const started = performance.now()
  const session = createBrowserSession()
  try {
    const browser = await session.browser()
    const page = await openLockedPage(browser, () => true)
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load', timeout: 0 })
    const printed = await page.pdf({ width: `${size.width / 72}in`, height: `${size.height / 72}in`, margin: { top: '0.75in', bottom: '0.75in', left: '0.75in', right: '0.75in' }, timeout: 0 })
    return { ms: performance.now() - started, pages: pageCount(printed) }
  } finally {
    await session.close()
  }
}
