/**
 * Fonts in a page Quire draws (the print document, a generated cover).
 */
import type { Page } from 'puppeteer'

/**
 * Wait until every face the layout asked for has loaded. `document.fonts.ready`
 * covers only loads already started, and a face is requested when layout
 * first shapes text in it: so lay out first, then wait, until nothing loads.
 */
export async function settleFonts(page: Page): Promise<void> {
  const settled = await page.evaluate(`(async () => {
    for (let round = 0; round < 20; round++) {
      void document.body.offsetHeight
      await document.fonts.ready
      if (![...document.fonts].some((face) => face.status === 'loading')) return true
    }
    return false
  })()`)
  if (!settled) throw new Error('A page Quire draws (the print document or the cover) kept loading fonts; it cannot be drawn with the right faces. Please report this with the manuscript')
}
