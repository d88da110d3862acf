/**
 * Root cause first (issue 16): when book.yaml, a chapter's front matter or a
 * bibliography file cannot be read, that error is the first one reported, at
 * the mistake, and the errors it would cause are not reported at all.
 */
import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { toDiagnostics } from '../src/diagnostics/report.ts'
import { cli, manuscript, run } from './helpers.ts'

/** The first diagnostic as `file:line:column ruleId`, and every rule id reported. */
async function diagnose(dir: string) {
  const result = await run(dir)
  const diagnostics = toDiagnostics(result.files)
  const first = diagnostics[0]
  return {
    ...result,
    first: first && `${path.basename(first.file)}:${first.line}:${first.column} ${first.ruleId}`,
    firstMessage: first?.message ?? '',
    rules: diagnostics.map((d) => d.ruleId),
  }
}

// Entry `alpha2001` lacks the comma after its author; `beta2002` is fine.
const brokenBib = ['@book{alpha2001,', '  title = {Alpha},', '  author = {Doe, Jane}', '  year = {2001}', '}', '', '@book{beta2002,', '  title = {Beta},', '  author = {Roe, Rick},', '  year = {2002}', '}', ''].join('\n')

test('a BibTeX syntax error comes first, at the parser’s line and column, with no unknown keys after it', async () => {
  const keys = ['alpha2001', 'beta2002', 'gamma2003', 'delta2004', 'epsilon2005', 'zeta2006', 'eta2007', 'theta2008', 'iota2009', 'kappa2010', 'lambda2011']
  const dir = await manuscript({
    'book.yaml': 'title: Bib Book\nbibliography: references.bib\n',
    'references.bib': brokenBib,
    '01-one.md': `# One\n\n${keys.map((key) => `A claim [@${key}].`).join(' ')}\n`,
  })
  const result = await diagnose(dir)
  assert.equal(result.first, 'references.bib:4:3 bibliography-syntax')
  assert.match(result.firstMessage, /citations are not checked until it parses/)
  assert.ok(!result.rules.includes('citation-key-unknown'), result.messages.join('\n'))
  assert.ok(!result.rules.includes('reference-uncited'), result.messages.join('\n'))
  // The entries that parse are still read: `beta2002` is cited as usual.
  assert.doesNotMatch(result.html[0]!, /title="\[@beta2002\]"/)
  assert.match(result.html[0]!, /Rick Roe, <i>Beta<\/i>/)
  // The text report, too, starts with the bibliography, not with the chapter sorted before it.
  const check = await cli(['check', dir], { cwd: dir })
  assert.equal(check.code, 1)
  assert.match(check.stdout, /^references\.bib\n4:3 +error Invalid BibTeX/, check.stdout)
  assert.doesNotMatch(check.stdout, /citation-key-unknown/)
})

test('a missing bibliography file is the only error about citations', async () => {
  const dir = await manuscript({
    'book.yaml': 'title: Bib Book\nbibliography: refs.json\n',
    '01-one.md': '# One\n\nA claim [@kennan1947] and another [@gaddis2005].\n',
  })
  const result = await diagnose(dir)
  assert.equal(result.first, 'book.yaml:2:15 bibliography-missing')
  assert.match(result.firstMessage, /citations are not checked until it is found/)
  assert.deepEqual(result.rules, ['bibliography-missing'])
})

test('an unknown nested book.yaml key is reported at its line and column, and every other setting stays', async () => {
  const dir = await manuscript({
    'book.yaml': 'title: Nested Book\nauthor: A. Writer\nlanguage: fr\ntoc:\n  deph: 2\npdf: {varient: print}\nchecks:\n  placeholdr: off\n  spaces-doubled: off\n',
    '01-one.md': '# One\n\nText  with TK.\n',
  })
  const result = await diagnose(dir)
  assert.equal(result.first, 'book.yaml:5:3 config-invalid')
  assert.match(result.firstMessage, /Unexpected key `toc\.deph` in book\.yaml, did you mean `depth`\?/)
  assert.ok(result.messages.some((line) => /book\.yaml:6:7: error config-invalid: Unexpected key `pdf\.varient`[^\n]*did you mean `variant`/.test(line)), result.messages.join('\n'))
  assert.ok(!result.rules.includes('config-missing'))
  assert.equal(result.book.config.title, 'Nested Book')
  assert.deepEqual(result.book.config.contributors, [{ name: 'A. Writer', role: 'author' }])
  assert.equal(result.book.config.language, 'fr')
  // The valid entries beside a misspelt rule id still apply.
  assert.ok(!result.rules.includes('spaces-doubled'), result.messages.join('\n'))
  assert.ok(result.rules.includes('placeholder'))
})

test('an unclosed front matter block is its own error at the opening ---, not text or a guessed title', async () => {
  const dir = await manuscript({
    'book.yaml': 'title: T\n',
    '01-the-start.md': '---\ntitle: The Real Title\nnumber: 1\n\nSome text here.\n\nMore text.\n',
  })
  const result = await diagnose(dir)
  assert.equal(result.first, '01-the-start.md:1:1 front-matter-unclosed')
  assert.ok(!result.rules.includes('chapter-title-guessed'), result.messages.join('\n'))
  assert.equal(result.book.chapters[0]!.title, 'The Real Title')
  assert.equal(result.html[0], '<p>Some text here.</p>\n<p>More text.</p>')
})

test('a scene break before a line with a colon is not taken for unclosed front matter', async () => {
  const dir = await manuscript({
    'book.yaml': 'title: T\n',
    '01-vienna.md': '---\nVienna: the rain had not stopped for a week.\n\nNobody met them.\n',
  })
  const result = await diagnose(dir)
  assert.ok(!result.rules.includes('front-matter-unclosed'), result.messages.join('\n'))
  assert.match(result.html[0]!, /^<hr>/)
})

test('a front matter YAML error points at the mistake, and nothing that follows from it is reported', async () => {
  const dir = await manuscript({
    'book.yaml': 'title: T\n',
    '01-one.md': '---\ntitle: "The Long Winter\ncitations:\n  1: kennan1947\n---\n\nText [citation 1].\n',
    '02-two.md': '---\ntitle: Two\nnumber: [2\nparagraphs: lines\n---\n\nText.\n',
  })
  const result = await diagnose(dir)
  // The unclosed quote, where it opens (the parser notices it only at the block's end).
  assert.equal(result.first, '01-one.md:2:8 front-matter-invalid')
  assert.ok(result.messages.some((line) => line.startsWith('02-two.md:3:9: error front-matter-invalid')), result.messages.join('\n'))
  assert.ok(!result.rules.includes('chapter-title-guessed'), result.messages.join('\n'))
  assert.ok(!result.rules.includes('citation-unmapped'), result.messages.join('\n'))
})

test('a book.yaml syntax error points at the mistake, and citations are not called unknown', async () => {
  const dir = await manuscript({
    'book.yaml': 'title: T\nauthor: [A. Writer, B. Writer\nbibliography: refs.json\n',
    'refs.json': '[]',
    '01-one.md': '# One\n\nA claim [@kennan1947].\n',
  })
  const result = await diagnose(dir)
  assert.equal(result.first, 'book.yaml:2:9 config-syntax')
  assert.match(result.firstMessage, /no setting of the file applies/)
  assert.deepEqual(result.rules, ['config-syntax'])
})
