/** The CLI's contract: commands, help, version, exit codes and the JSON diagnostics. */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { cli, manuscript, ROOT } from './helpers.ts'

test('--version prints the package version, --help the usage', async () => {
  const { version } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }
  assert.deepEqual(await cli(['--version']), { code: 0, stdout: `${version}\n`, stderr: '' })
  const help = await cli(['--help'])
  assert.equal(help.code, 0)
  assert.match(help.stdout, /quire build \[MANUSCRIPT_DIR\]/)
  assert.match((await cli(['build', '--help'])).stdout, /--out DIR/)
  assert.match((await cli(['check', '--help'])).stdout, /--format FORMAT/)
})

test('usage errors exit 2 with a message', async () => {
  for (const args of [['frobnicate'], ['build', '--nope'], ['build', '--format', 'docx'], ['check', '--format', 'xml'], ['build', 'a', 'b'], []]) {
    const result = await cli(args)
    assert.equal(result.code, 2, `quire ${args.join(' ')}`)
  }
  assert.match((await cli(['build', '--format', 'docx'])).stderr, /Unknown format "docx"/)
})

test('a missing manuscript folder is a clear error', async () => {
  const result = await cli(['check', 'no/such/folder'])
  assert.equal(result.code, 1)
  assert.match(result.stderr, /Manuscript folder no\/such\/folder not found/)
})

test('check --format json prints an array of positioned diagnostics and exits 1 on errors', async () => {
  const dir = await manuscript({
    'book.yaml': 'title: Checked\nautor: X\n',
    '03-third.md': '3.1 Start\n\nText with <script>x()</script> in it.\n',
  })
  const result = await cli(['check', dir, '--format', 'json'])
  assert.equal(result.code, 1)
  const diagnostics = JSON.parse(result.stdout) as Record<string, unknown>[]
  for (const d of diagnostics) {
    assert.deepEqual(Object.keys(d).sort(), ['column', 'endColumn', 'endLine', 'file', 'line', 'message', 'page', 'ruleId', 'severity'])
  }
  const byRule = Object.fromEntries(diagnostics.map((d) => [d.ruleId, d]))
  assert.deepEqual(byRule['config-invalid'], {
    file: path.relative(ROOT, path.join(dir, 'book.yaml')),
    line: 2, column: 1, endLine: null, endColumn: null, page: null,
    ruleId: 'config-invalid', severity: 'error',
    message: 'Unexpected key `autor` in book.yaml, did you mean `author`?',
  })
  assert.equal(byRule['unsafe-html']?.line, 3)
  assert.equal(byRule['unsafe-html']?.column, 11)
  assert.equal(byRule['chapter-title-guessed']?.severity, 'info')
})

test('an ISBN with a wrong check digit is an error at its place in book.yaml; a right one or a URN is not', async () => {
  const check = async (identifier: string) => {
    const dir = await manuscript({ 'book.yaml': `title: Numbers\nidentifier: ${identifier}\n`, '01-one.md': '# One\n\nText.\n' })
    const result = await cli(['check', dir, '--format', 'json'])
    return { code: result.code, errors: (JSON.parse(result.stdout) as { severity: string; line: number; column: number; message: string }[]).filter((d) => d.severity === 'error') }
  }
  const wrong = await check('ISBN 978-0-306-40615-8')
  assert.equal(wrong.code, 1)
  assert.deepEqual(wrong.errors.map((d) => [d.line, d.column]), [[2, 13]])
  assert.match(wrong.errors[0]!.message, /^Invalid value for `identifier` in book\.yaml: expected a valid ISBN-13: its check digit is 8, but the digits before it give 7/)
  for (const fine of ['978-0-306-40615-7', '0-306-40615-2', 'urn:uuid:6f1c2b9e-4d3a-4e8b-9a57-2c0d8e41b7a3']) assert.deepEqual((await check(fine)).errors, [], fine)
})

test('check on the sample book reports no errors', async () => {
  const result = await cli(['check'])
  assert.equal(result.code, 0, result.stdout)
  const json = JSON.parse((await cli(['check', '--format', 'json'])).stdout) as { severity: string }[]
  assert.equal(json.filter((d) => d.severity === 'error').length, 0)
})

test('text output groups diagnostics by file with positions', async () => {
  const dir = await manuscript({ 'book.yaml': 'title: T\n', '01-one.md': '# One\n\n![remote](https://example.com/x.png)\n' })
  const result = await cli(['check', dir])
  assert.equal(result.code, 1)
  assert.match(result.stdout, /01-one\.md\n/)
  assert.match(result.stdout, /3:1-3:37 +error +Unexpected remote image/)
  assert.match(result.stdout, /asset-remote/)
})

test("book.yaml's checks: turns a rule off or changes its severity; a misspelt rule id gets a suggestion", async () => {
  const body = '# One\n\n![](dot.gif) and 中.\n'
  const gif = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64')
  const plain = await manuscript({ 'book.yaml': 'title: Checks\n', '01-one.md': body, 'dot.gif': gif })
  const before = JSON.parse((await cli(['check', plain, '--format', 'json'])).stdout) as { ruleId: string; severity: string }[]
  assert.deepEqual(before.map((d) => [d.ruleId, d.severity]), [['image-alt-missing', 'warning'], ['glyph-missing', 'warning']])

  const set = await manuscript({ 'book.yaml': 'title: Checks\nchecks:\n  image-alt-missing: off\n  glyph-missing: error\n', '01-one.md': body, 'dot.gif': gif })
  const result = await cli(['check', set, '--format', 'json'])
  assert.equal(result.code, 1, 'an error now')
  const after = JSON.parse(result.stdout) as { ruleId: string; severity: string; line: number; column: number }[]
  assert.deepEqual(after.map((d) => [d.ruleId, d.severity, d.line, d.column]), [['glyph-missing', 'error', 3, 18]])

  const typo = await manuscript({ 'book.yaml': 'title: Checks\nchecks:\n  image-alt-mising: off\n  unsafe-html: loud\n  config-invalid: off\n', '01-one.md': '# One\n\nText.\n' })
  const messages = (JSON.parse((await cli(['check', typo, '--format', 'json'])).stdout) as { line: number; column: number; message: string }[]).map((d) => `${d.line}:${d.column} ${d.message}`)
  assert.deepEqual(messages, [
    '3:3 Unexpected key `checks.image-alt-mising` in book.yaml, did you mean `image-alt-missing`?',
    '4:16 Invalid value for `checks.unsafe-html` in book.yaml: expected off, info, warning or error',
    '5:3 Unexpected key `checks.config-invalid` in book.yaml, did you mean `cover-invalid`?',
  ])
})
