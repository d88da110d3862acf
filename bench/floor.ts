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
import { applyPlan, type PagePlan } from '../src/render/pdf/paginate.ts'

/** Print the book whose print document the last build left in `cacheDir`; resolves to the milliseconds it took. */
export async function printFloor(browser: Browser, cacheDir: string, slug: string): Promise<number> {
  const page = await openLockedPage(browser, () => true)
  try {
    const plan = JSON.parse(await readFile(path.join(cacheDir, 'pdf', `${slug}.plan.json`), 'utf8')) as { blanks: PagePlan['blanks']; folios: [string, string][] }
    const started = performance.now()
    await page.goto(pathToFileURL(path.join(cacheDir, 'pdf', `${slug}.print.html`)).href, { waitUntil: 'load', timeout: 0 })
    await applyPlan(page, { blanks: plan.blanks, folios: new Map(plan.folios), physical: new Map(), pages: 0 })
    await page.pdf({ preferCSSPageSize: true, timeout: 0 })
    return performance.now() - started
  } finally {
    await page.close()
  }
}
