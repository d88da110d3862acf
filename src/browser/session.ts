/**
 * One browser per build, launched on first use and closed by the build in
 * `finally`. The EPUB's generated cover and the PDF share it. Puppeteer is
 * loaded here (and in find.ts, for the path of a browser of its own); other
 * files import only its types.
 */
import type { Browser, BrowserContext, Page } from 'puppeteer'
import { findBrowser, type FoundBrowser } from './find.ts'

/** Flags for a headless Chromium that reaches no network service of its own. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-extensions',
  '--font-render-hinting=none',
]

export interface BrowserSession {
  /** The browser, launched on the first call. */
  browser(): Promise<Browser>
  /** Which browser was launched, once it has been. */
  found?: FoundBrowser
  /** Close the browser if it was launched. */
  close(): Promise<void>
}

/** A lazily launched browser; `onLaunch` hears which binary was used. */
export function createBrowserSession(onLaunch?: (found: FoundBrowser) => void): BrowserSession {
  let launching: Promise<Browser> | undefined
  const session: BrowserSession = {
    browser() {
      launching ??= (async () => {
        const found = await findBrowser()
        session.found = found
        onLaunch?.(found)
        const { default: puppeteer } = await import('puppeteer')
        try {
          // A long book prints for minutes: the default 3-minute protocol timeout would cut it off.
          return await puppeteer.launch({ executablePath: found.executablePath, headless: true, args: CHROMIUM_FLAGS, pipe: true, protocolTimeout: 15 * 60_000 })
        } catch (error) {
          throw new Error(`Could not start ${found.executablePath} (${found.source}): ${(error as Error).message.split('\n')[0]}. Set QUIRE_CHROME to a working Chrome or Chromium`, { cause: error })
        }
      })()
      return launching
    },
    async close() {
      const pending = launching
      launching = undefined
      if (!pending) return
      const browser = await pending.catch(() => undefined)
      await browser?.close()
    },
  }
  return session
}

/**
 * A page that runs no script of the document's and fetches nothing but
 * `data:` URLs and the files `allow` accepts; any other request is aborted
 * and reported through `onBlocked`. In `browser`'s default context, or in
 * a context of its own (`browser.createBrowserContext()`: a renderer
 * process of its own).
 */
export async function openLockedPage(browser: Browser | BrowserContext, allow: (url: string) => boolean = () => false, onBlocked?: (url: string) => void): Promise<Page> {
  const page = await browser.newPage()
  await page.setJavaScriptEnabled(false)
  await page.setRequestInterception(true)
  page.on('request', (request) => {
    const url = request.url()
    if (url.startsWith('data:') || url === 'about:blank' || allow(url)) void request.continue()
    else {
      onBlocked?.(url)
      void request.abort('blockedbyclient')
    }
  })
  return page
}
