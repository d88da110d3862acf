/**
 * Fonts in a page Quire draws (the print document, a generated cover): each
 * is loaded hidden (`HOLD_STYLE`) and shown by `showWithFonts`.
 */
import type { Page } from 'puppeteer'

/**
 * Wait until every face the document's layout asked for has loaded; true
 * when some face was still loading. `document.fonts.ready` covers only loads
 * already started, and a face is requested when layout first shapes text in
 * it: so lay out first, then wait, until nothing loads. Page-margin boxes
 * (running heads, folios) are laid out only in print, so a face only they
 * use is not seen here: theirs are the text faces the body uses anyway.
 */
async function awaitFonts(page: Page): Promise<boolean> {
  // Runs in the page (a string, so Node's types need no DOM).
  const waited = await page.evaluate(`(async () => {
    let waited = false
    for (let round = 0; round < 20; round++) {
      void document.body.offsetHeight
      if (![...document.fonts].some((face) => face.status === 'loading')) return waited
      waited = true
      await document.fonts.ready
    }
    return 'loading'
  })()`)
  if (waited === 'loading') throw new Error('A page Quire draws (the print document or the cover) kept loading fonts; it cannot be drawn with the right faces. Please report this with the manuscript')
  return waited === true
}

/**
 * Lay the page out from scratch. The layout made while a face was still
 * loading leaves traces once the face arrives: printed under load, some note
 * calls moved by a fraction of a pixel, so two builds of one manuscript
 * differed (in 6 and 8 of 15 throttled prints of the sample without a fresh
 * layout, 0 of 15 with it).
 */
async function layOutAfresh(page: Page): Promise<void> {
  // Layout objects are dropped with `display: none` (important, so no stylesheet overrides it) and made again.
  await page.evaluate(`(() => {
    const root = document.documentElement
    const style = root.getAttribute('style')
    root.style.setProperty('display', 'none', 'important')
    void root.offsetHeight
    if (style === null) root.removeAttribute('style')
    else root.setAttribute('style', style)
    void root.offsetHeight
  })()`)
}

/** A style that keeps a document from being laid out until `showWithFonts` has loaded its faces. */
export const HOLD_STYLE = { id: 'quire-hold', css: 'html { display: none !important }' }

/**
 * For a document loaded with `HOLD_STYLE`: load every face whose unicode
 * range covers a character of its text, then let it be laid out, so its
 * first layout has every face in place and no second one is needed (a
 * second one costs 1.6 s and 350 MB of Chromium's memory on a 1,930-page
 * book). A face the text alone did not show (generated content) is waited
 * for afterwards, and then the layout is made afresh.
 */
export async function showWithFonts(page: Page): Promise<void> {
  await page.evaluate(`(async () => {
    const points = new Set()
    for (const char of document.body.textContent) points.add(char.codePointAt(0))
    const covers = (face) => face.unicodeRange.split(',').some((part) => {
      const [low, high = low] = part.trim().replace(/^U\\+/i, '').split('-')
      const from = parseInt(low.replace(/\\?/g, '0'), 16)
      const to = parseInt(high.replace(/\\?/g, 'F'), 16)
      for (const point of points) if (point >= from && point <= to) return true
      return false
    })
    await Promise.all([...document.fonts].filter(covers).map((face) => face.load().catch(() => undefined)))
    document.getElementById(${JSON.stringify(HOLD_STYLE.id)}).remove()
  })()`)
  await settleFonts(page)
}

/** After a change to a laid-out page: wait for any face it asked for and, if one was loading, lay it out afresh. */
export async function settleFonts(page: Page): Promise<void> {
  if (await awaitFonts(page)) await layOutAfresh(page)
}
