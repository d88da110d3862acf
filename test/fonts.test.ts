/**
 * book.yaml's `fonts:`: a book set in another @fontsource family prints in
 * that family alone (and the monospace face for its code), every face
 * embedded; the web edition and the copyright page follow it; a family that
 * is not installed is an error at its key with the command that installs it;
 * a family installed in the book's own folder is found there.
 */
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { findFamily, fontPackage } from '../src/fonts/families.ts'
import { cli, manuscript } from './helpers.ts'
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
