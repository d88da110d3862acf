/**
 * Hostile images: SVG files that would run a script, expand entities or
 * fetch (refused, never copied), raster images and a cover that do not
 * decode, attributes the sanitizer removes, and an image a draft cannot
 * show. harness.ts says what every case asserts besides these.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { epubcheck } from '../epub-helpers.ts'
import { ROOT } from '../helpers.ts'
import { assertValidEditions, assertWrittenEditionsValid, diagnostic, runHostile, type HostileResult } from './harness.ts'

const chapter = (body: string) => `---\ntitle: Hostile\n---\n${body}\n`
const PNG = await readFile(path.join(ROOT, 'test/books/torture/images/map of berlin.png'))
const JPEG = await readFile(path.join(ROOT, 'test/books/torture/images/cover.jpg'))

/** Every SVG an edition holds, by output name. */
function svgOutputs(result: HostileResult): Map<string, string> {
  return new Map([...result.outputs].filter(([name]) => /\.svg$/i.test(name)).map(([name, bytes]) => [name, bytes.toString('utf8')]))
}

test('an SVG whose DTD entities expand to a script, with an external entity and an @import, is refused at the image', async () => {
  const evil = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE svg [',
    '  <!ENTITY ext SYSTEM "file://{{CANARY}}">',
    '  <!ENTITY run "&#60;script&#62;fetch(\'{{SERVER}}/run\')&#60;/script&#62;">',
    ']>',
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">',
    '  <style>@import "{{SERVER}}/x.css";</style>',
    '  <text x="0" y="9">&ext;</text>',
    '  &run;',
    '</svg>',
  ].join('\n')
  const result = await runHostile({
    files: { 'book.yaml': 'title: Evil SVG\n', '01-evil.md': chapter('Text.\n\n![A harmless picture](images/evil.svg)'), 'images/evil.svg': evil },
  })
  assert.equal(result.code, 1)
  const found = diagnostic(result, 'asset-unsafe-svg')
  assert.deepEqual([found.file.endsWith('01-evil.md'), found.line, found.column, found.severity], [true, 6, 1, 'error'])
  assert.match(found.message, /<!DOCTYPE> declaring entity declarations \(run\) and external entities \(ext\) \(line 2\)/)
  assert.match(found.message, /@import in a style sheet \(line 7\)/)
  assert.match(found.message, /entity &ext; .*\(line 8\)/)
  assert.match(found.message, /entity &run; .*\(line 9\)/)
})

test('SVGs with an <image> fetching from a server and an onload handler are refused, each at its reference', async () => {
  const result = await runHostile({
    files: {
      'book.yaml': 'title: Active SVG\n',
      '01-active.md': chapter('![Remote](images/remote.svg)\n\n![Loaded](images/onload.svg)'),
      'images/remote.svg': '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">\n<image xlink:href="{{SERVER}}/pixel.png" width="10" height="10"/>\n</svg>\n',
      'images/onload.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"\n     onload="fetch(\'{{SERVER}}/onload\')"><circle r="4"/></svg>\n',
    },
  })
  assert.equal(result.code, 1)
  const refused = result.diagnostics.filter((entry) => entry.ruleId === 'asset-unsafe-svg')
  assert.deepEqual(refused.map((entry) => [entry.line, entry.column]), [[4, 1], [6, 1]])
  assert.match(refused[0]!.message, /xlink:href="http:\/\/127\.0\.0\.1:\d+\/pixel\.png" .*on <image> \(line 2\)/)
  assert.match(refused[1]!.message, /event handler attribute onload on <svg> \(line 2\)/)
})

test('a self-contained SVG builds into every edition as Quire’s serialization of its tree, not the file', async () => {
  const dots = [
    '<?xml version="1.0"?>',
    '<!-- drawn by hand -->',
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="20" viewBox="0 0 40 20">',
    '  <title>Two dots &amp; a line</title>',
    '  <defs><linearGradient id="g"><stop offset="0" stop-color="#000"/></linearGradient><circle id="dot" r="4"/></defs>',
    '  <style>.line { stroke: url(#g); }</style>',
    '  <use xlink:href="#dot" x="5" y="10"/><use href="#dot" x="35" y="10" fill="url(#g)"/>',
    '  <path class="line" d="M5 10 H35"/>',
    '  <text x="2" y="19">&#65;B</text>',
    '</svg>',
  ].join('\n')
  const result = await runHostile({
    files: { 'book.yaml': 'title: Dots\n', '01-dots.md': chapter('![Two dots and a line](images/dots.svg)'), 'images/dots.svg': dots },
    formats: ['html', 'epub', 'pdf'],
  })
  await assertValidEditions(result)
  const svgs = svgOutputs(result)
  const web = svgs.get(path.join('html', 'images', 'dots.svg'))
  const packed = [...svgs].find(([name]) => name.includes('.epub!/'))?.[1]
  assert.ok(web && packed, `the SVG is in the web edition and the EPUB: ${[...svgs.keys()].join(', ')}`)
  for (const text of [web, packed]) {
    assert.notEqual(text, dots)
    assert.match(text, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/)
    assert.match(text, /<use xlink:href="#dot" x="5" y="10"><\/use>/)
    assert.match(text, /<text x="2" y="19">AB<\/text>/)
    assert.doesNotMatch(text, /<!--/)
  }
  // The print document hands Chromium the serialization as a data URL, never the file itself.
  const printHtml = await readFile(path.join(result.out, '.cache', 'pdf', 'dots.print.html'), 'utf8')
  assert.doesNotMatch(printHtml, /dots\.svg/)
  const dataUrl = /src="data:image\/svg\+xml;base64,([^"]+)"/.exec(printHtml)
  assert.ok(dataUrl, 'the SVG is inlined in the print document')
  assert.match(Buffer.from(dataUrl[1]!, 'base64').toString('utf8'), /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg [^>]*><style>/)
})

test('a PNG cut short and a PNG with a bad checksum are refused as corrupt at their references', async () => {
  const badCrc = Buffer.from(PNG)
  badCrc[50] = badCrc[50]! ^ 0xff
  const result = await runHostile({
    files: {
      'book.yaml': 'title: Corrupt\n',
      '01-corrupt.md': chapter('![Cut](images/cut.png)\n\nBetween.\n\n![Checksum](images/crc.png)'),
      'images/cut.png': PNG.subarray(0, Math.floor(PNG.length / 2)),
      'images/crc.png': badCrc,
    },
  })
  assert.equal(result.code, 1)
  const corrupt = result.diagnostics.filter((entry) => entry.ruleId === 'asset-corrupt')
  assert.deepEqual(corrupt.map((entry) => [entry.line, entry.column, entry.severity]), [[4, 1, 'error'], [8, 1, 'error']])
  assert.match(corrupt[0]!.message, /images\/cut\.png` is corrupt: it is cut short/)
  assert.match(corrupt[1]!.message, /images\/crc\.png` is corrupt: its IDAT chunk at byte 33 fails its checksum/)
})

test('a corrupt JPEG cover is refused at book.yaml’s cover:', async () => {
  const result = await runHostile({
    files: { 'book.yaml': 'title: Cover\ncover: images/cover.jpg\n', '01-a.md': chapter('Text.'), 'images/cover.jpg': JPEG.subarray(0, Math.floor(JPEG.length / 2)) },
  })
  assert.equal(result.code, 1)
  const found = diagnostic(result, 'asset-corrupt')
  assert.deepEqual([found.file.endsWith('book.yaml'), found.line, found.column], [true, 2, 8])
  assert.match(found.message, /Cover `images\/cover\.jpg` is corrupt: it is cut short/)
})

test('an attribute the sanitizer removes (<table background>) is reported at its element', async () => {
  const result = await runHostile({
    files: {
      'book.yaml': 'title: Background\n',
      '01-table.md': chapter('Text.\n\n<table background="{{SERVER}}/bg.png"><tr><td>cell</td></tr></table>'),
    },
  })
  await assertValidEditions(result)
  const found = diagnostic(result, 'unsafe-html')
  assert.deepEqual([found.line, found.column, found.severity], [6, 1, 'warning'])
  assert.match(found.message, /`background` attribute on `<table>`/)
  for (const [name, bytes] of result.outputs) if (/\.x?html$/.test(name)) assert.doesNotMatch(bytes.toString('utf8'), /background=/, name)
})

test('a draft build shows an image it cannot resolve as a visible placeholder, and its EPUB is valid', async () => {
  const result = await runHostile({
    files: { 'book.yaml': 'title: Draft\n', '01-draft.md': chapter('Text.\n\n![A map of the sectors](images/missing.png)') },
    args: ['--draft'],
  })
  // A draft with errors still exits 1, having written its editions.
  assert.equal(result.code, 1)
  assert.match(result.stderr, /built html/)
  await assertWrittenEditionsValid(result)
  const check = await epubcheck(path.join(result.out, 'draft.epub'))
  assert.equal(check.fatals + check.errors + check.warnings, 0, check.output)
  const found = diagnostic(result, 'asset-missing')
  assert.deepEqual([found.line, found.column], [6, 1])
  const placeholders: string[] = []
  for (const [name, bytes] of result.outputs) {
    if (!/\.x?html$/.test(name)) continue
    const text = bytes.toString('utf8')
    assert.doesNotMatch(text, /<img(?![^>]*\ssrc=)[^>]*>/, `${name} has no <img> without src`)
    if (/<span class="image-unresolved">A map of the sectors <span class="image-unresolved-marker">\[\?\]<\/span><\/span>/.test(text)) placeholders.push(name)
  }
  assert.ok(placeholders.includes(path.join('html', '01-draft.html')), `the web edition shows the placeholder: ${placeholders.join(', ')}`)
  assert.ok(placeholders.some((name) => name.startsWith('draft.epub!/')), `the EPUB shows the placeholder: ${placeholders.join(', ')}`)
})
