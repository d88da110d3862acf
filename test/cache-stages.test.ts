/**
 * The HTML stage's stored results are reused only while what it read is
 * unchanged: the chapter's tree and every file it looked at (images, linked
 * files). A changed image or a linked file that appears must be seen.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { analyze } from '../src/build.ts'
import { toDiagnostics } from '../src/diagnostics/report.ts'
import { DOT_GIF, manuscript } from './helpers.ts'

const rules = async (dir: string, cacheDir: string) => {
  const { files } = await analyze({ manuscript: dir, cwd: dir, cacheDir, jobs: 1 })
  return toDiagnostics(files).map((diagnostic) => diagnostic.ruleId).filter((rule) => rule?.startsWith('asset-') || rule === 'link-file-missing')
}

test('a stored HTML tree is reused only while the images and linked files it looked at are unchanged', async () => {
  const dir = await manuscript({
    'book.yaml': 'title: Stages\nauthor: A. Writer\nlanguage: en\n',
    '01-one.md': '# One\n\nA map: ![A map](images/map.gif)\n\nSee [the notes](notes.txt).\n',
    'images/map.gif': DOT_GIF,
  })
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'quire-stages-'))
  assert.deepEqual(await rules(dir, cacheDir), ['link-file-missing'])
  assert.equal((await readdir(path.join(cacheDir, 'hast'))).length, 1, 'the chapter’s HTML tree is stored')
  // The same manuscript again: the stored result, and its message replayed.
  assert.deepEqual(await rules(dir, cacheDir), ['link-file-missing'])

  // The linked file appears: the message goes.
  await writeFile(path.join(dir, 'notes.txt'), 'notes\n')
  assert.deepEqual(await rules(dir, cacheDir), [])

  // The image is broken in place, with its old time: its size gives it away.
  await writeFile(path.join(dir, 'images/map.gif'), DOT_GIF.subarray(0, 20))
  const old = new Date('2020-01-01T00:00:00Z')
  await utimes(path.join(dir, 'images/map.gif'), old, old)
  assert.deepEqual(await rules(dir, cacheDir), ['asset-corrupt'])
  // Mended, with the same old time but its own size again.
  await writeFile(path.join(dir, 'images/map.gif'), DOT_GIF)
  assert.deepEqual(await rules(dir, cacheDir), [])

  // Removed.
  await rm(path.join(dir, 'images/map.gif'))
  assert.deepEqual(await rules(dir, cacheDir), ['asset-missing'])
  await rm(dir, { recursive: true, force: true })
  await rm(cacheDir, { recursive: true, force: true })
})
