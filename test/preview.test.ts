/**
 * `quire preview` in a real browser: a copy of the sample book is served by
 * the CLI, a chapter is edited and the open page reloads with the new text
 * where it was; a broken front matter shows its file and line over the
 * page and clears when fixed; the download links give a real EPUB and PDF;
 * paths that climb out of the edition are 404.
 */
import assert from 'node:assert/strict'
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { createBrowserSession } from '../src/browser/session.ts'
import { requestedName } from '../src/preview/server.ts'
import { spawnPreview } from '../bench/preview.ts'
import { ROOT } from './helpers.ts'

/** GET a raw path (not normalized, unlike fetch) and resolve with the status. */
function statusOf(base: string, rawPath: string): Promise<number> {
  const url = new URL(base)
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: rawPath, method: 'GET' }, (response) => {
      response.resume()
      resolve(response.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end()
  })
}

test('requests that climb out of the edition name no file', () => {
  for (const raw of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/fonts/..%2f..%2fx', '/a\\..\\b', '/%00', '/%E0%A4%A']) {
    const name = requestedName(raw)
    assert.ok(name === undefined || !name.split('/').includes('..'), `${raw} → ${name}`)
  }
  assert.equal(requestedName('/'), 'index.html')
  assert.equal(requestedName('/images/ferry%20map.png?x=1'), 'images/ferry map.png')
})

test('quire preview reloads on save, shows errors over the page, and serves the EPUB and PDF', { timeout: 240_000 }, async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-preview-'))
  await cp(path.join(ROOT, 'chapters'), path.join(dir, 'chapters'), { recursive: true })
  const { child, url, stderr } = await spawnPreview(path.join(ROOT, 'bin/quire.js'), [], dir)
  const session = createBrowserSession()
  try {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/, 'loopback by default')

    const browser = await session.browser()
    const page = await browser.newPage()
    await page.goto(`${url}01-the-manuscript.html`, { waitUntil: 'load' })
    await page.waitForFunction('window.scrollTo(0, 600) || window.scrollY >= 600')
    const chapter = path.join(dir, 'chapters', '01-the-manuscript.md')
    const original = await readFile(chapter, 'utf8')

    // Edit: the page reloads with the new text, where it was.
    await writeFile(chapter, original.replace('Picture an author we will call Ingrid.', 'Picture an author we will call Solveig.'))
    await page.waitForFunction(`document.body.innerText.includes('we will call Solveig')`, { timeout: 60_000 })
    await page.waitForFunction('document.readyState === "complete" && document.fonts.status === "loaded"')
    const scrolled = (await page.evaluate('document.fonts.ready.then(() => window.scrollY)')) as number
    assert.ok(Math.abs(scrolled - 600) < 5, `scroll kept after reload (${scrolled})`)

    // Break the front matter: the overlay names the file and line; the last good build is still served.
    await writeFile(chapter, original.replace('title: The Manuscript', 'title: [The Manuscript'))
    await page.waitForSelector('#quire-overlay', { timeout: 60_000 })
    const shown = (await page.$eval('#quire-overlay', (element) => element.textContent)) ?? ''
    assert.match(shown, /01-the-manuscript\.md:\d+:\d+: /)
    assert.ok((await page.evaluate('document.body.innerText')) as string, 'the page is still there')
    assert.match(stderr(), /01-the-manuscript\.md/, 'the terminal shows the error too')

    // Fix it: the overlay goes, with the page reloaded.
    await writeFile(chapter, original)
    await page.waitForFunction(`!document.getElementById('quire-overlay') && document.body.innerText.includes('we will call Ingrid')`, { timeout: 60_000 })

    // Downloads from the contents page.
    await page.goto(url, { waitUntil: 'load' })
    const links = (await page.$$eval('.downloads a', (anchors) => anchors.map((anchor) => anchor.getAttribute('href')))) as string[]
    assert.deepEqual(links, ['writing-with-quire.epub', 'writing-with-quire.pdf'])
    const epub = Buffer.from(await (await fetch(new URL(links[0]!, url))).arrayBuffer())
    assert.equal(epub.subarray(0, 2).toString(), 'PK')
    assert.ok(epub.includes('application/epub+zip'), 'an EPUB container')
    const pdf = Buffer.from(await (await fetch(new URL(links[1]!, url))).arrayBuffer())
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-')

    // Only the edition's own files.
    for (const raw of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/fonts/..%2f..%2f..%2fpackage.json', '/chapters/book.yaml', '/book.yaml', '/01-the-manuscript.md']) {
      assert.equal(await statusOf(url, raw), 404, raw)
    }
  } finally {
    await session.close()
    child.kill('SIGTERM')
    await new Promise((resolve) => child.once('exit', resolve))
    await rm(dir, { recursive: true, force: true })
  }
})
