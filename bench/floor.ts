/**
 * The PDF floor: Quire's own final print HTML (the print document with the
 * page plan applied), loaded in a fresh page of an already running browser
 * and printed once with a plain `page.pdf()`. Nothing can print that book
 * faster with this browser.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser } from 'puppeteer'
import { openLockedPage } from '../src/browser/session.ts'
import { HOLD_STYLE } from '../src/browser/fonts.ts'
import { applyPlan, type PagePlan } from '../src/render/pdf/paginate.ts'
import { pageCount } from '../src/render/pdf/pdf-file.ts'

/**
 * Print the book whose print document the last build left in `cacheDir`;
 * resolves to the milliseconds it took. Throws unless it printed `pages`
 * pages, Quire's count: a floor that printed less is no floor.
 */
export async function printFloor(browser: Browser, cacheDir: string, slug: string, pages: number): Promise<number> {
  const page = await openLockedPage(browser, () => true)
  try {
    const plan = JSON.parse(await readFile(path.join(cacheDir, 'pdf', `${slug}.plan.json`), 'utf8')) as { blanks: PagePlan['blanks']; folios: [string, string][] }
    const started = performance.now()
    await page.goto(pathToFileURL(path.join(cacheDir, 'pdf', `${slug}.print.html`)).href, { waitUntil: 'load', timeout: 0 })
    // As a plain document: shown at once, not held until its fonts load as Quire holds it.
    await page.evaluate(`document.getElementById(${JSON.stringify(HOLD_STYLE.id)})?.remove()`)
    await applyPlan(page, { blanks: plan.blanks, folios: new Map(plan.folios), physical: new Map(), pages: 0 })
    const printed = await page.pdf({ preferCSSPageSize: true, timeout: 0 })
    const ms = performance.now() - started
    if (pageCount(printed) !== pages) throw new Error(`The floor printed ${pageCount(printed)} pages where Quire printed ${pages}`)
    return ms
  } finally {
    await page.close()
  }
}
