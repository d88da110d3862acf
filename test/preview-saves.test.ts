/**
 * `quire preview` never misses a save. A chapter is saved again and again
 * in the three ways editors save: written in place; written beside it and
 * renamed over it (`sed -i`, vim, many IDEs); copied over it (`cp`). Then a
 * file written in two halves with a pause between (the first half is
 * rebuilt), saves landing while a rebuild runs, and a chapter in a folder
 * made after the preview started. Each time the served page must come to
 * hold the file's last text.
 */
import assert from 'node:assert/strict'
import { copyFile, mkdir, mkdtemp, open, rename, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { spawnPreview } from '../bench/preview.ts'

// Not from helpers.ts, which loads the whole pipeline: this test only runs the CLI.
const ROOT = fileURLToPath(new URL('..', import.meta.url))

const KINDS = ['in place', 'by rename', 'by copy'] as const
type Kind = (typeof KINDS)[number]

/** Save `text` to `file` as an editor would. */
async function save(kind: Kind, file: string, text: string, scratch: string) {
  if (kind === 'in place') return writeFile(file, text)
  if (kind === 'by rename') {
    await writeFile(`${file}.tmp`, text)
    return rename(`${file}.tmp`, file)
  }
  // cp: the text is written elsewhere, then copied over the chapter (same file, truncated and rewritten).
  const source = path.join(scratch, `${path.basename(file)}.draft`)
  await writeFile(source, text)
  return copyFile(source, file)
}

const chapter = (title: string, marker: string) => `---\ntitle: ${title}\n---\nThe text of ${title.toLowerCase()} says ${marker} today.\n`

/** Whether the page at `url` comes to hold `marker` within `within` ms, polled. */
async function shows(url: string, marker: string, within = 10_000): Promise<boolean> {
  const deadline = Date.now() + within
  do {
    const response = await fetch(url)
    if (response.ok && (await response.text()).includes(marker)) return true
    await sleep(20)
  } while (Date.now() < deadline)
  return false
}

test('quire preview serves every save: in place, by rename and by copy, mid-rebuild, half-written, in a new folder', { timeout: 120_000 }, async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-preview-saves-'))
  const book = path.join(dir, 'chapters')
  const scratch = path.join(dir, 'drafts')
  await mkdir(book)
  await mkdir(scratch)
  const yaml = 'title: Saves\nauthor: A. Tester\nlanguage: en\n'
  await writeFile(path.join(book, 'book.yaml'), yaml)
  const one = path.join(book, '01-one.md')
  await writeFile(one, chapter('One', 'marker-start'))
  await writeFile(path.join(book, '02-two.md'), chapter('Two', 'unchanged'))
  const { child, url, stderr } = await spawnPreview(path.join(ROOT, 'bin/quire.js'), [], dir)
  const missed: string[] = []
  // 10 s for each save; once one is missed the test fails anyway, and 2 s each lists the others soon.
  const within = () => (missed.length === 0 ? 10_000 : 2_000)
  let count = 0
  /** Save a new marker `kind`-wise and wait for the page to show it; a save not shown is noted. */
  const edit = async (kind: Kind, file: string, title: string, page: string) => {
    // Of one length, so none is part of another.
    const marker = `marker-${String(++count).padStart(3, '0')}`
    await save(kind, file, chapter(title, marker), scratch)
    if (!(await shows(`${url}${page}`, marker, within()))) missed.push(`${marker}: ${path.basename(file)} saved ${kind}`)
  }
  try {
    assert.ok(await shows(`${url}01-one.html`, 'marker-start'), 'the first build')

    // Each way after each other way, four times over.
    for (let round = 0; round < 4; round++) for (const kind of KINDS) await edit(kind, one, 'One', '01-one.html')

    // Written in two halves with a pause longer than the preview waits for quiet: the half is rebuilt, then the whole.
    const halves = chapter('One', 'marker-halves')
    const handle = await open(one, 'w')
    await handle.write(halves.slice(0, halves.indexOf('marker-halves') + 'marker-'.length))
    await sleep(150)
    await handle.write(halves.slice(halves.indexOf('marker-halves') + 'marker-'.length))
    await handle.close()
    if (!(await shows(`${url}01-one.html`, 'marker-halves', within()))) missed.push('marker-halves: written in two halves')

    // Saves every few ms, so most land while a rebuild runs: the last one is served.
    let last = ''
    for (let index = 0; index < 9; index++) {
      last = `marker-burst-${index}`
      await save(KINDS[index % 3]!, one, chapter('One', last), scratch)
      await sleep(index * 4)
    }
    if (!(await shows(`${url}01-one.html`, last, within()))) missed.push(`${last}: the last of a burst of saves`)

    // A folder made after the start: its chapter is read, and its saves are seen.
    const three = path.join(book, 'later', '03-three.md')
    await mkdir(path.dirname(three))
    await writeFile(three, chapter('Three', 'marker-new-folder'))
    await save('by rename', path.join(book, 'book.yaml'), `${yaml}chapters:\n  - 01-one.md\n  - 02-two.md\n  - later/03-three.md\n`, scratch)
    if (!(await shows(`${url}03-three.html`, 'marker-new-folder', within()))) missed.push('marker-new-folder: a chapter in a new folder')
    for (const kind of KINDS) await edit(kind, three, 'Three', '03-three.html')

    assert.deepEqual(missed, [], `saves the preview missed (of ${count + 3}):\n${stderr()}`)
    assert.ok(await shows(`${url}02-two.html`, 'unchanged', 0), 'the other chapter is still served')
  } finally {
    child.kill('SIGTERM')
    await new Promise((resolve) => child.once('exit', resolve))
    await rm(dir, { recursive: true, force: true })
  }
})
