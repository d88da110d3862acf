/**
 * One fixture per rule of `quire check` (test/checks/<rule-id>/):
 * - `invalid/` is a manuscript that triggers the rule; every message it gets
 *   (any rule) is compared with `expected.txt`, positions included;
 * - `valid/` is its clean twin, full of near misses, and must get none;
 * - `fixed/`, when present, holds the chapter files as `--fix` must leave
 *   them, compared whole, byte for byte; the originals must be kept.
 * Run with UPDATE=1 to rewrite expected.txt after a deliberate change.
 */
import assert from 'node:assert/strict'
import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { analyze } from '../src/build.ts'
import { rules } from '../src/diagnostics/rules.ts'
import { toDiagnostics } from '../src/diagnostics/report.ts'
import { fixSources } from '../src/write/fix-sources.ts'
import { ROOT } from './helpers.ts'

const fixtures = path.join(ROOT, 'test/checks')

async function messagesOf(dir: string): Promise<string[]> {
  const result = await analyze({ manuscript: dir, cwd: dir })
  return toDiagnostics(result.files).map(
    (d) => `${d.file}:${d.line}:${d.column}${d.endLine ? `-${d.endLine}:${d.endColumn}` : ''}: ${d.severity} ${d.ruleId}: ${d.message}`,
  )
}

for (const name of (await readdir(fixtures)).sort()) {
  const dir = path.join(fixtures, name)
  test(`check rule ${name}: reports the invalid manuscript exactly`, async () => {
    const messages = await messagesOf(path.join(dir, 'invalid'))
    const text = messages.join('\n') + '\n'
    if (process.env.UPDATE) return writeFile(path.join(dir, 'expected.txt'), text)
    assert.equal(text, await readFile(path.join(dir, 'expected.txt'), 'utf8'))
    // The fixture is about its rule: the rule must be among what it reports.
    if (name in rules) assert.ok(messages.some((line) => line.includes(` ${name}: `)), `no ${name} message`)
  })

  test(`check rule ${name}: the clean twin gets no message`, async () => {
    assert.deepEqual(await messagesOf(path.join(dir, 'valid')), [])
  })

  if (existsSync(path.join(dir, 'fixed'))) {
    test(`check rule ${name}: --fix changes only the fixed spans and keeps the original`, async () => {
      const copy = await mkdtemp(path.join(os.tmpdir(), `quire-fix-${name}-`))
      await cp(path.join(dir, 'invalid'), copy, { recursive: true })
      const result = await analyze({ manuscript: copy, cwd: copy })
      const fixed = await fixSources(result.files, { backup: true })
      assert.ok(fixed.length > 0 && fixed.every((entry) => !entry.skipped))
      for (const file of await readdir(path.join(dir, 'fixed'))) {
        const expected = await readFile(path.join(dir, 'fixed', file))
        assert.equal((await readFile(path.join(copy, file))).toString('utf8'), expected.toString('utf8'), file)
        assert.deepEqual(await readFile(path.join(copy, file)), expected)
        assert.deepEqual(await readFile(path.join(copy, `${file}.orig`)), await readFile(path.join(dir, 'invalid', file)))
      }
    })
  }
}
