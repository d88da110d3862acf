/**
 * `quire init`: the starting book it writes, run as an author would, from a
 * folder outside the repository, must check clean and build; a folder that
 * holds a book, or a file the template would replace, is refused untouched.
 * No PDF here: printing one would double the time of this file.
 */
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { attr, openEpub, select, toString } from './epub-helpers.ts'
import { cli } from './helpers.ts'

/** The environment of an author's shell: not an npm script, so the next commands read `quire …`. */
const SHELL = { npm_command: undefined, npm_lifecycle_event: undefined }

test('quire init writes a starting book that checks clean and builds; its chapters show each convention', async (t) => {
  const home = await mkdtemp(path.join(os.tmpdir(), 'quire-init-'))
  t.after(() => rm(home, { recursive: true, force: true }))
  const init = await cli(['init', 'newbook'], { cwd: home, env: SHELL })
  assert.equal(init.code, 0, init.stderr)
  assert.match(init.stdout, /^quire: wrote a starting book into newbook\/chapters\/: book\.yaml, /)
  assert.match(init.stdout, /^Next, in its folder \(cd newbook\):\n {2}quire preview +\S/m)
  assert.match(init.stdout, /^ {2}quire build +\S/m)

  // The acceptance's flow: `quire init mybook && cd mybook && quire build`, the manuscript in mybook/chapters.
  const project = path.join(home, 'newbook')
  const book = path.join(project, 'chapters')
  const names = (await readdir(book, { recursive: true })).sort()
  assert.deepEqual(names, ['01-vienna.md', '02-berlin.md', 'book.yaml', 'images', 'images/manuscript.svg', 'references.bib'])
  const yaml = await readFile(path.join(book, 'book.yaml'), 'utf8')
  assert.match(yaml, /^identifier: urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/m, 'a UUID of its own')
  assert.doesNotMatch(yaml, /\{\{/, 'every placeholder filled in')

  const check = await cli(['check', '--format', 'json'], { cwd: project })
  assert.equal(check.code, 0, check.stderr)
  assert.deepEqual(JSON.parse(check.stdout), [], 'no diagnostics, info included')

  const build = await cli(['build', '--format', 'html,epub'], { cwd: project })
  assert.equal(build.code, 0, build.stderr)
  const epubName = (await readdir(path.join(project, 'build'))).find((name) => name.endsWith('.epub'))
  assert.ok(epubName, `an EPUB in newbook/build/: ${build.stderr}`)
  const epub = await openEpub(path.join(project, 'build', epubName))

  const one = await epub.tree('OEBPS/01-vienna.xhtml')
  const section = select(one, (node) => node.tagName === 'h2' && attr(node, 'id') === 'sec-1-1')
  assert.equal(section.length, 1, 'the section line 1.1 is a heading')
  assert.equal(toString(select(section[0]!, (node) => attr(node, 'className') === 'section-number')[0]!), '1.1')
  assert.equal(toString(select(one, (node) => attr(node, 'className') === 'dateline')[0]!), 'Vienna, May 1961.')
  // The chapter-local marker [citation 1], resolved through the front matter to the BibTeX entry.
  assert.equal(select(one, (node) => attr(node, 'role') === 'doc-noteref').length, 2)
  const notes = select(one, (node) => node.tagName === 'li' && attr(node, 'epub:type') === 'endnote').map((node) => toString(node))
  assert.match(notes[0] ?? '', /^Frederick Kempe, Berlin 1961: Kennedy, Khrushchev, and the Most Dangerous Place on Earth \(New York: G\. P\. Putnam’s Sons, 2011\)\./)
  assert.match(notes[1] ?? '', /^See John Lewis Gaddis, The Cold War/)
  const figure = select(one, (node) => node.tagName === 'figure')
  assert.equal(figure.length, 1)
  assert.equal(attr(select(figure[0]!, (node) => node.tagName === 'img')[0]!, 'src'), 'images/manuscript.svg')
  assert.match(toString(select(figure[0]!, (node) => node.tagName === 'figcaption')[0]!), /^Figure 1\. A manuscript folder/)
  assert.ok(epub.names.includes('OEBPS/images/manuscript.svg'), 'the image travels with the EPUB')

  // Chapter 2 cites with a pandoc-style key, [@taylor2006].
  const two = await epub.tree('OEBPS/02-berlin.xhtml')
  assert.equal(toString(select(two, (node) => attr(node, 'className') === 'dateline')[0]!), 'Berlin, August 1961.')
  assert.match(toString(select(two, (node) => node.tagName === 'li' && attr(node, 'epub:type') === 'endnote')[0]!), /^Frederick Taylor, The Berlin Wall/)
})

test('quire init refuses a folder that holds a book or a file it would replace, and writes nothing there', async (t) => {
  const home = await mkdtemp(path.join(os.tmpdir(), 'quire-init-'))
  t.after(() => rm(home, { recursive: true, force: true }))
  const cases: Record<string, Record<string, string>> = {
    'has-book': { 'book.yaml': 'title: Mine\n' },
    'has-chapter': { '07-the-long-winter.md': '# The Long Winter\n' },
    'has-bib': { 'references.bib': '% my references\n', 'notes.txt': 'kept\n' },
    'has-image': { 'images/manuscript.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>\n' },
  }
  for (const [folder, files] of Object.entries(cases)) {
    for (const [name, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(home, folder, 'chapters', name)), { recursive: true })
      await writeFile(path.join(home, folder, 'chapters', name), text)
    }
  }
  const before = await snapshot(home)
  const results = await Promise.all(Object.keys(cases).map((folder) => cli(['init', folder], { cwd: home, env: SHELL })))
  for (const [index, folder] of Object.keys(cases).entries()) {
    const result = results[index]!
    assert.equal(result.code, 2, `${folder}: ${result.stderr}`)
    assert.equal(result.stdout, '')
  }
  assert.match(results[0]!.stderr, /^quire: has-book\/chapters\/ already holds a book \(book\.yaml\)/)
  assert.match(results[1]!.stderr, /already holds a book \(07-the-long-winter\.md\)/)
  assert.match(results[2]!.stderr, /^quire: has-bib\/chapters\/ already has references\.bib, which `quire init` would replace: it never does/)
  assert.match(results[3]!.stderr, /already has images\/manuscript\.svg/)
  assert.deepEqual(await snapshot(home), before, 'every file as it was, none added')
  assert.equal((await cli(['init', 'one', 'two'], { cwd: home })).code, 2, 'one folder at a time')

  // Other files are no obstacle: a book's own folder with its package.json takes the book beside them.
  await writeFile(path.join(home, 'package.json'), '{"private": true}\n')
  const here = await cli(['init'], { cwd: home, env: { npm_command: 'exec' } })
  assert.equal(here.code, 0, here.stderr)
  assert.match(here.stdout, /^Next:\n {2}npx quire preview +\S/m, 'run through npx, the next commands are too')
  assert.equal(await readFile(path.join(home, 'package.json'), 'utf8'), '{"private": true}\n')
  assert.ok((await stat(path.join(home, 'chapters', 'book.yaml'))).isFile())
})

/** Every file under `dir` with its text. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {}
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const file = path.join(entry.parentPath ?? entry.path, entry.name)
    files[path.relative(dir, file)] = await readFile(file, 'utf8')
  }
  return files
}
