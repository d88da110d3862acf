/**
 * Find a Chromium to print with, never downloading one: the user's choice,
 * a Chrome that puppeteer manages if one is installed, the system's
 * Chromium or Chrome, and last the Chromium shipped compressed inside the
 * npm package `@sparticuz/chromium` (an optional dependency).
 */
import { accessSync, constants } from 'node:fs'
import path from 'node:path'

export interface FoundBrowser {
  executablePath: string
  /** Where it was found, for `--verbose`. */
  source: string
}

/** System locations tried in order, after the environment variables and puppeteer's cache. */
export const SYSTEM_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
]

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** The browser to launch, or an error that says how to get one. `system` lists the paths to try (tests narrow it). */
export async function findBrowser(env: NodeJS.ProcessEnv = process.env, system: string[] = SYSTEM_BROWSERS): Promise<FoundBrowser> {
  for (const variable of ['QUIRE_CHROME', 'PUPPETEER_EXECUTABLE_PATH'] as const) {
    const value = env[variable]
    if (!value) continue
    const executablePath = path.resolve(value)
    if (!isExecutable(executablePath)) throw new Error(`${variable} is set to ${value}, which is not an executable file. Point it at a Chrome or Chromium binary, or unset it`)
    return { executablePath, source: variable }
  }
  const managed = await puppeteerManaged()
  if (managed) return { executablePath: managed, source: 'puppeteer cache' }
  for (const candidate of system) {
    if (isExecutable(candidate)) return { executablePath: candidate, source: 'system' }
  }
  const shipped = await sparticuzChromium()
  if (shipped) return { executablePath: shipped, source: '@sparticuz/chromium' }
  throw new Error(
    'No Chrome or Chromium found. Install one (Debian: apt-get install chromium), set QUIRE_CHROME to its path, or install the optional npm package @sparticuz/chromium',
  )
}

async function puppeteerManaged(): Promise<string | undefined> {
  try {
    const { default: puppeteer } = await import('puppeteer')
    const executable = puppeteer.executablePath()
    return isExecutable(executable) ? executable : undefined
  } catch {
    // No managed browser configured or installed: fall through to the others.
    return undefined
  }
}

async function sparticuzChromium(): Promise<string | undefined> {
  let chromium: { executablePath(): Promise<string> }
  try {
    chromium = (await import('@sparticuz/chromium')).default
  } catch {
    return undefined
  }
  // Inflates the binary into the temporary folder once; later calls reuse it.
  return chromium.executablePath()
}
