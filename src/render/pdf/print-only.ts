/**
 * `page.pdf()` with the screen layout out of the way. After printing,
 * Chromium lays the whole document out again for the screen (in a print
 * document, the page-sized measuring columns), which nothing reads: hidden
 * from screen media while the print runs, that layout is empty. It saved
 * 4–15 % of a print in paired runs (docs/print-cost.md), and the printed
 * bytes are the same. The style goes again after the print, so a page
 * printed again starts from the layout it was measured in.
 */
import type { Page, PDFOptions } from 'puppeteer'

const ID = 'quire-printing'

export async function printOnly(page: Page, options: PDFOptions): Promise<Uint8Array> {
  await page.evaluate(`document.head.insertAdjacentHTML('beforeend', '<style id="${ID}">@media screen { html { display: none !important } }</style>')`)
  try {
    return await page.pdf(options)
  } finally {
    await page.evaluate(`document.getElementById('${ID}')?.remove()`).catch(() => undefined)
  }
}
