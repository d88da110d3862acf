/**
 * Fonts in a page Quire draws (the print document, a generated cover).
 */
import type { Page } from 'puppeteer'

/**
 * Wait until every face the layout asked for has loaded. `document.fonts.ready`
 * covers only loads already started, and a face is requested when layout
 * first shapes text in it: so lay out first, then wait, until nothing loads.
 */
export async function awaitFonts(page: Page): Promise<void> {
  // Runs in the page (a string, so Node's types need no DOM).
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

/**
 * After loading a page: wait for its fonts, then lay it out afresh. The
 * layout made while a face was still loading leaves traces once the face
 * arrives: printed under load, some note calls moved by a fraction of a
 * pixel, so two builds of one manuscript differed (in 6 and 8 of 15
 * throttled prints of the sample without the fresh layout, 0 of 15 with it).
 */
export async function settleFonts(page: Page): Promise<void> {
  await awaitFonts(page)
  // Layout objects are dropped with `display: none` and made again with every face in place.
  await page.evaluate(`(() => {
    const root = document.documentElement.style
    const display = root.display
    root.display = 'none'
    void document.documentElement.offsetHeight
    root.display = display
    void document.documentElement.offsetHeight
  })()`)
}
