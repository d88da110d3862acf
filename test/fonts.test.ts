/**
 * book.yaml's `fonts:`: a book set in another @fontsource family prints in
 * that family alone (and the monospace face for its code), every face
 * embedded; the web edition and the copyright page follow it; a family that
 * is not installed is an error at its key with the command that installs it;
 * a family installed in the book's own folder is found there; font files
 * inside the book are a family too, and ones outside it, missing or not a
 * font are errors at their key.
 */
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { findFamily, fontPackage } from '../src/fonts/families.ts'
import { cmapCodePoints, fontSignature, readFontTables } from '../src/fonts/woff2.ts'
import { epubcheck, openEpub } from './epub-helpers.ts'
import { cli, manuscript, ROOT } from './helpers.ts'
import { flat, openPdf } from './pdf-helpers.ts'

test('a book set in Source Sans 3 at 11 pt: pdffonts lists its faces and the monospace one only, all embedded', async () => {
  const dir = await manuscript({
    'book.yaml': 'title: Sans Book\nauthor: Ana Ruiz\nfonts:\n  body: Source Sans 3\nprint:\n  font-size: 11\n',
    '01-plain.md': '# Chapter 1: Plain\n\n1.1 First\n\nSome *italic* and **bold** text with `code` in it, and Greek: λόγος.\n',
    '02-second.md': '# Chapter 2: Second\n\nJust prose here, nothing else.\n',
  })
  const out = await mkdtemp(path.join(os.tmpdir(), 'quire-fonts-'))
  const result = await cli(['build', dir, '--out', out, '--format', 'html,pdf'])
  assert.equal(result.code, 0, result.stderr)
  const pdf = await openPdf(path.join(out, 'sans-book.pdf'))
  // Subset names carry a tag (`AAAAAA+`); Fontsource's static Source Sans 3 files keep the variable font's name.
  const families = [...new Set(pdf.fonts.map((font) => font.name.replace(/^[A-Z]{6}\+/, '').replace(/-.*$/, '')))].sort()
  assert.deepEqual(families, ['NotoSansMono', 'SourceSans3ExtraLight'])
  assert.ok(pdf.fonts.length >= 4, `regular, italic, bold and the mono face: ${pdf.fonts.map((font) => font.name).join(', ')}`)
  for (const font of pdf.fonts) assert.ok(font.embedded, `${font.name} is embedded`)
  assert.ok(pdf.pages.some((page) => flat(page).includes('Set in Source Sans 3. Made with Quire.')), 'the copyright page names the face')
  const css = await readFile(path.join(out, 'html', 'fonts.css'), 'utf8')
  assert.match(css, /font-family: 'Source Sans 3'/)
  assert.match(css, /--body-font: 'Source Sans 3', 'Literata', 'Gowun Batang'/)
  assert.doesNotMatch(css, /font-family: 'Literata'/, 'the web edition ships the book’s face, not the default')
})

test('a family that is not installed is an error at its key, with the command that installs it', async () => {
  const dir = await manuscript({ 'book.yaml': 'title: Missing\nfonts:\n  headings: Playfair Display\n', '01-one.md': '# One\n\nText.\n' })
  const result = await cli(['check', dir, '--format', 'json'])
  assert.equal(result.code, 1)
  const found = (JSON.parse(result.stdout) as { line: number; column: number; ruleId: string; message: string }[]).find((entry) => entry.ruleId === 'config-invalid')
  assert.ok(found, result.stdout)
  assert.deepEqual([found.line, found.column], [3, 13])
  assert.match(found.message, /No font family “Playfair Display” is installed .* `npm i @fontsource\/playfair-display`/)
})

test('a family installed in the book’s folder (or one above it) is found there, by its name or its package', async () => {
  const book = await mkdtemp(path.join(os.tmpdir(), 'quire-fonts-'))
  const pkg = path.join(book, 'node_modules', '@fontsource', 'fake-serif')
  await mkdir(path.join(pkg, 'files'), { recursive: true })
  await writeFile(path.join(pkg, 'package.json'), '{"name": "@fontsource/fake-serif", "version": "1.0.0"}')
  await writeFile(path.join(pkg, '400.css'), "@font-face { font-family: 'Fake Serif'; src: url(./files/fake-serif-latin-400-normal.woff2) format('woff2'); }")
  await writeFile(path.join(pkg, '700.css'), "@font-face { font-family: 'Fake Serif'; font-weight: 700; src: url(./files/fake-serif-latin-700-normal.woff2) format('woff2'); }")
  const chapters = path.join(book, 'chapters')
  await mkdir(chapters)
  assert.equal(fontPackage('Fake Serif'), '@fontsource/fake-serif')
  for (const name of ['Fake Serif', '@fontsource/fake-serif']) {
    const family = findFamily(name, chapters)
    assert.deepEqual(family && { family: family.family, faces: family.faces, from: family.from }, { family: 'Fake Serif', faces: ['400', '700'], from: chapters })
  }
  assert.equal(findFamily('Fake Sans', chapters), undefined)
  assert.equal(findFamily('Source Sans 3', chapters)?.from, undefined, 'Quire’s own families come from its own packages')
})

/** A TrueType file holding only a cmap (format 4) that maps A, B and C to glyphs 1–3. */
function tinyTrueType(): Buffer {
  const format4 = Buffer.alloc(32)
  format4.writeUInt16BE(4, 0) // format
  format4.writeUInt16BE(32, 2) // length
  format4.writeUInt16BE(4, 6) // two segments
  format4.writeUInt16BE(0x43, 14) // ends: C, then 0xFFFF
  format4.writeUInt16BE(0xffff, 16)
  format4.writeUInt16BE(0x41, 20) // starts (after a reserved pad): A, then 0xFFFF
  format4.writeUInt16BE(0xffff, 22)
  format4.writeInt16BE(-0x40, 24) // deltas: A → 1
  format4.writeInt16BE(1, 26)
  const cmap = Buffer.concat([Buffer.from([0, 0, 0, 1, 0, 3, 0, 1, 0, 0, 0, 12]), format4])
  const header = Buffer.alloc(28)
  header.writeUInt32BE(0x00010000, 0)
  header.writeUInt16BE(1, 4)
  header.write('cmap', 12, 'latin1')
  header.writeUInt32BE(28, 20)
  header.writeUInt32BE(cmap.length, 24)
  return Buffer.concat([header, cmap])
}

test('a TrueType or OpenType file is read for its coverage as a WOFF2 is; other bytes are no font', () => {
  const ttf = tinyTrueType()
  assert.equal(fontSignature(ttf), 'sfnt')
  assert.equal(fontSignature(Buffer.from('OTTO')), 'sfnt')
  assert.equal(fontSignature(Buffer.from('wOF2')), 'woff2')
  assert.equal(fontSignature(Buffer.from('<svg')), undefined)
  assert.deepEqual([...cmapCodePoints(readFontTables(ttf, ['cmap']).get('cmap')!)], [0x41, 0x42, 0x43])
})

test('font files in the book: packed into the EPUB under safe names and valid; one outside the book, missing or not a font is an error at its key', async () => {
  const files = path.join(ROOT, 'node_modules/@fontsource/source-sans-3/files')
  const dir = await manuscript({
    'book.yaml': 'title: Own Face\nfonts:\n  body:\n    family: Book Face\n    regular: fonts/Book Face-Regular.woff2\n    bold: fonts/BookFace-Bold.woff2\nepub:\n  embed-fonts: true\n',
    '01-one.md': '# One\n\nSome **bold** text.\n',
    'fonts/Book Face-Regular.woff2': await readFile(path.join(files, 'source-sans-3-latin-400-normal.woff2')),
    'fonts/BookFace-Bold.woff2': await readFile(path.join(files, 'source-sans-3-latin-700-normal.woff2')),
    'fonts/notes.ttf': 'not a font',
  })
  const out = await mkdtemp(path.join(os.tmpdir(), 'quire-fonts-'))
  const result = await cli(['build', dir, '--out', out, '--format', 'epub'])
  assert.equal(result.code, 0, result.stderr)
  const epubFile = path.join(out, 'own-face.epub')
  const report = await epubcheck(epubFile)
  assert.equal(report.fatals + report.errors + report.warnings, 0, report.output)
  const epub = await openEpub(epubFile)
  const opf = await epub.text('OEBPS/content.opf')
  assert.match(opf, /href="fonts\/fonts-Book-Face-Regular\.woff2" media-type="font\/woff2"/)
  const css = await epub.text('OEBPS/style.css')
  assert.match(css, /font-family: 'Book Face';\n {2}font-style: normal;\n {2}font-weight: 700;\n {2}src: url\(fonts\/fonts-BookFace-Bold\.woff2\) format\('woff2'\)/)
  assert.match(css, /body \{ font-family: 'Book Face', serif; \}/)

  await writeFile(path.join(dir, 'book.yaml'), 'title: Own Face\nfonts:\n  body:\n    regular: fonts/Book Face-Regular.woff2\n    italic: ../outside.woff2\n    bold: fonts/missing.woff2\n  mono: fonts/notes.ttf\n')
  const checked = await cli(['check', dir, '--format', 'json'])
  assert.equal(checked.code, 1)
  const found = (JSON.parse(checked.stdout) as { line: number; column: number; ruleId: string; message: string }[]).filter((entry) => entry.ruleId === 'config-invalid')
  assert.deepEqual(found.map((entry) => [entry.line, entry.column]), [[5, 13], [6, 11], [7, 9]])
  assert.match(found[0]!.message, /`\.\.\/outside\.woff2` is outside the manuscript folder: Quire reads nothing outside the book/)
  assert.match(found[1]!.message, /No font file `fonts\/missing\.woff2` in the manuscript folder/)
  assert.match(found[2]!.message, /`fonts\/notes\.ttf` is not a WOFF2, TrueType or OpenType font\. Until then Noto Sans Mono stands in/)
})
