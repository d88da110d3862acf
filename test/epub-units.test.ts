/** Units behind the EPUB: identifiers, dates, image sniffing, cross-document links. */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { test } from 'node:test'
import { h } from 'hastscript'
import { findBrowser } from '../src/browser/find.ts'
import { sniffImage, svgProblem } from '../src/manuscript/media-types.ts'
import { linkAcrossPages } from '../src/render/cross-links.ts'
import { isbnProblem, parseIsbn } from '../src/config/isbn.ts'
import { labelsFor } from '../src/config/labels.ts'
import { resolveConfig } from '../src/config/load.ts'
import { copyrightPage } from '../src/render/book-parts.ts'
import { toString } from 'hast-util-to-string'
import { uuidV5, w3cDateTime } from '../src/render/epub/metadata.ts'
import { editionDate } from '../src/render/edition-date.ts'
import { addEpubSemantics, conformToEpubSchema, serializeXhtml, xhtmlTree } from '../src/render/epub/xhtml.ts'

test('the copyright page: dates as the language writes them, roles in its words, `colophon:` as the last line', () => {
  const page = (yaml: Record<string, unknown>, typeface?: string) => {
    const config = resolveConfig('/book', { title: 'Lettres', ...yaml } as Parameters<typeof resolveConfig>[1])
    const element = copyrightPage({ config, chapters: [], parts: [] }, labelsFor(config.language), typeface ? { typeface } : {})
    return element.children.map((node) => toString(node))
  }
  assert.deepEqual(page({ language: 'fr', author: ['Ines Varga', { name: 'Paul Roy', role: 'translator' }], date: '2025-03-01', publisher: 'Éditions Q', identifier: 'urn:isbn:0-306-40615-2' }, 'Literata'), [
    'Lettres',
    'Ines Varga',
    'Paul Roy (trad.)',
    'Éditions Q, 1 mars 2025',
    'ISBN 0-306-40615-2',
    'Set in Literata. Made with Quire.',
  ])
  // An EPUB that leaves the face to the reader names none; `colophon:` replaces the line in every edition.
  assert.deepEqual(page({}).at(-1), 'Made with Quire.')
  assert.deepEqual(page({ colophon: 'Printed on paper from responsible sources.' }, 'Literata').at(-1), 'Printed on paper from responsible sources.')
  // An identifier that is no ISBN is not printed as one.
  assert.ok(!page({ identifier: 'urn:uuid:6f1c2b9e-4d3a-4e8b-9a57-2c0d8e41b7a3' }).some((line) => line.includes('ISBN')))
})

test('ISBNs are recognised with or without hyphens and prefixes, and only with a right check digit', () => {
  assert.equal(parseIsbn('978-0-306-40615-7'), '9780306406157')
  assert.equal(parseIsbn('ISBN 978 0 306 40615 7'), '9780306406157')
  assert.equal(parseIsbn('urn:isbn:9780306406157'), '9780306406157')
  assert.equal(parseIsbn('0-306-40615-2'), '0306406152')
  assert.equal(parseIsbn('080442957X'), '080442957X')
  assert.equal(parseIsbn('978-0-306-40615-8'), undefined)
  assert.equal(parseIsbn('urn:uuid:6f1c2b9e-4d3a-4e8b-9a57-2c0d8e41b7a3'), undefined)
  // Shaped like an ISBN with the wrong check digit: a problem that names the right digit; anything else is no ISBN at all.
  assert.match(isbnProblem('978-0-306-40615-8')!, /check digit is 8, but the digits before it give 7/)
  assert.match(isbnProblem('0-306-40615-3')!, /ISBN-10.*give 2/)
  assert.equal(isbnProblem('080442957X'), undefined)
  assert.equal(isbnProblem('urn:uuid:6f1c2b9e-4d3a-4e8b-9a57-2c0d8e41b7a3'), undefined)
  assert.equal(isbnProblem('doi:10.1000/182'), undefined)
})

test('name-based UUIDs match RFC 4122 version 5', () => {
  // The DNS namespace and "www.example.com", a published test vector.
  assert.equal(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8'), '2ed6657d-e927-568b-95e1-2665a8aea6a2')
  assert.equal(uuidV5('a'), uuidV5('a'))
  assert.notEqual(uuidV5('a'), uuidV5('b'))
})

test('dcterms:modified comes from book.yaml, else SOURCE_DATE_EPOCH, else the start of today (UTC)', () => {
  const now = new Date('2026-11-22T15:04:05.678Z')
  assert.equal(w3cDateTime(editionDate({ date: '2026-11-01' }, { SOURCE_DATE_EPOCH: '0' }, now)), '2026-11-01T00:00:00Z')
  assert.equal(w3cDateTime(editionDate({ date: '1999' }, {}, now)), '1999-01-01T00:00:00Z')
  assert.equal(w3cDateTime(editionDate({}, { SOURCE_DATE_EPOCH: '1700000000' }, now)), '2023-11-14T22:13:20Z')
  assert.equal(w3cDateTime(editionDate({}, { SOURCE_DATE_EPOCH: 'soon' }, now)), '2026-11-22T00:00:00Z')
})

test('images are told by their bytes, not their names', () => {
  assert.equal(sniffImage(Buffer.from('89504e470d0a1a0a0000', 'hex')), 'image/png')
  assert.equal(sniffImage(Buffer.from('ffd8ffe000104a464946', 'hex')), 'image/jpeg')
  assert.equal(sniffImage(Buffer.from('GIF89a')), 'image/gif')
  assert.equal(sniffImage(Buffer.from('<?xml version="1.0"?>\n<!-- made by hand -->\n<svg xmlns="http://www.w3.org/2000/svg"/>')), 'image/svg+xml')
  assert.equal(sniffImage(Buffer.from('RIFF\0\0\0\0WEBPVP8 ')), undefined)
  assert.equal(sniffImage(Buffer.from('<html><svg></svg></html>')), undefined)
  assert.equal(sniffImage(Buffer.from('')), undefined)
})

test('links across documents: fragments find their document, chapter files become pages, dangling links become marked text', () => {
  const one = { path: 'one.xhtml', tree: { type: 'root' as const, children: [h('p', [h('a', { href: '#n1' }, 'a'), h('a', { href: '#missing' }, 'b'), h('a', { href: '02-two.md#s1' }, 'c'), h('a', { href: 'notes.pdf' }, 'd'), h('a', { href: 'https://example.org/#x' }, 'e')])] } }
  const two = { path: 'two.xhtml', tree: { type: 'root' as const, children: [h('h2', { id: 's1' }, 'S'), h('p', { id: 'n1' }, 'N')] } }
  linkAcrossPages([one, two], { pageOfSource: new Map([['02-two.md', 'two.xhtml']]) })
  const links = one.tree.children[0]!.children as { tagName: string; properties: { href?: string; title?: string } }[]
  assert.deepEqual(links.map((a) => a.properties.href ?? `${a.tagName} ${a.properties.title}`), ['two.xhtml#n1', 'span #missing', 'two.xhtml#s1', 'span notes.pdf', 'https://example.org/#x'])
})

test('XHTML: well-formed, namespaced, with epub:type beside each DPUB role and no attributes EPUB 3.2 rejects', () => {
  const tree = xhtmlTree({
    title: 'T & <U>',
    language: 'fr',
    stylesheets: ['style.css'],
    bodyType: 'bodymatter',
    body: [
      h('section', { role: 'doc-endnotes' }, [h('ol', [h('li', { id: 'n1' }, [h('a', { href: '#r1', role: 'doc-backlink' }, '↩')])])]),
      h('table', [h('tr', [h('th', { align: 'right', abbr: 'Y' }, 'Year'), h('td', { align: 'center' }, '1961')])]),
      h('br'),
    ],
  })
  addEpubSemantics(tree)
  conformToEpubSchema(tree)
  const xhtml = serializeXhtml(tree)
  assert.match(xhtml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<!DOCTYPE html>\n<html xmlns="http:\/\/www\.w3\.org\/1999\/xhtml" lang="fr" xml:lang="fr" xmlns:epub="http:\/\/www\.idpf\.org\/2007\/ops">/)
  assert.match(xhtml, /<title>T &#x26; &#x3C;U&#x3E;<\/title>/)
  assert.match(xhtml, /<section role="doc-endnotes" epub:type="endnotes"><ol><li id="n1" epub:type="endnote"><a href="#r1" role="doc-backlink" epub:type="backlink">/)
  assert.match(xhtml, /<th class="align-right">Year<\/th><td class="align-center">1961<\/td>/)
  assert.match(xhtml, /<br \/>/)
})

test('the browser is found without downloading one: the environment first, the npm-shipped Chromium last', async () => {
  await assert.rejects(findBrowser({ QUIRE_CHROME: '/nonexistent/chrome' }), /QUIRE_CHROME is set to \/nonexistent\/chrome, which is not an executable file/)
  assert.deepEqual(await findBrowser({ PUPPETEER_EXECUTABLE_PATH: process.execPath }), { executablePath: process.execPath, source: 'PUPPETEER_EXECUTABLE_PATH' })
  // With no system browser to try, the Chromium inside @sparticuz/chromium is unpacked and used.
  const shipped = await findBrowser({}, [])
  assert.equal(shipped.source, '@sparticuz/chromium')
  const version = await new Promise<string>((resolve, reject) =>
    execFile(shipped.executablePath, ['--headless', '--no-sandbox', '--version'], (error, stdout) => (error ? reject(error) : resolve(stdout))),
  )
  assert.match(version, /Chrom/)
})

test('an SVG that would run a script or fetch something is refused; a self-contained one is not', () => {
  assert.equal(svgProblem('<svg xmlns="http://www.w3.org/2000/svg"><defs><marker id="a"/></defs><path marker-end="url(#a)"/><use href="#a"/></svg>'), undefined)
  assert.match(svgProblem('<svg><script>alert(1)</script></svg>')!, /script/)
  assert.match(svgProblem('<svg onload="alert(1)"></svg>')!, /event handler/)
  assert.match(svgProblem('<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg/>')!, /external DTD/)
  // Parsed as XML, so the xlink prefix must be declared for the reference to be read at all.
  assert.match(svgProblem('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="https://example.org/x.png"/></svg>')!, /refers to https:\/\/example\.org\/x\.png/)
  assert.match(svgProblem('<svg><image xlink:href="https://example.org/x.png"/></svg>')!, /does not parse/)
  assert.match(svgProblem('<svg><image href="photo.png"/></svg>')!, /refers to photo\.png/)
  // Illustrator's internal DTD subset is still an SVG.
  assert.equal(sniffImage(Buffer.from('<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY ns_svg "http://www.w3.org/2000/svg">\n]>\n<svg xmlns="&ns_svg;"/>')), 'image/svg+xml')
})
