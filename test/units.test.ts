/** Unit tests of the pieces with rules of their own. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { VFile } from 'vfile'
import { titleFromSlug, describeChapterFile } from '../src/manuscript/chapter-files.ts'
import { slugify } from '../src/text/slug.ts'
import { withinLimits } from '../src/manuscript/limits.ts'
import { parseSectionLine } from '../src/unified/plugins/remark-section-lines.ts'
import { endsSentence } from '../src/unified/block-ends.ts'
import { parseCitationItems } from '../src/unified/plugins/remark-citation-markers.ts'
import { parseTrim } from '../src/config/schema.ts'
import { manuscript, run } from './helpers.ts'

test('titles are guessed from file names', () => {
  assert.equal(titleFromSlug('a-marriage-of-convenience'), 'A Marriage of Convenience')
  assert.equal(titleFromSlug('the-war-in-the-east'), 'The War in the East')
  assert.equal(titleFromSlug('what-it-was-for'), 'What It Was For')
  assert.equal(titleFromSlug('la-guerre-froide', 'fr'), 'La guerre froide')
  assert.deepEqual(describeChapterFile('48-a-marriage-of-convenience.md'), { source: '48-a-marriage-of-convenience.md', fileNumber: 48, nameSlug: 'a-marriage-of-convenience', slug: '48-a-marriage-of-convenience' })
  assert.equal(slugify('Écrire un livre: “Quire”'), 'ecrire-un-livre-quire')
})

test('section lines: short, capitalized, not a sentence', () => {
  assert.deepEqual(parseSectionLine('7.2 The Long Winter'), { parts: [7, 2], number: '7.2', title: 'The Long Winter' })
  assert.deepEqual(parseSectionLine('7.2.1 Supply Lines')?.parts, [7, 2, 1])
  assert.equal(parseSectionLine('7.2 percent of the harvest was lost'), undefined)
  assert.equal(parseSectionLine('7.2 Percent of the harvest was lost.'), undefined)
  assert.equal(parseSectionLine('7.2 This line has far too many words to be the title of any section in a real book at all'), undefined)
  assert.ok(parseSectionLine('3.4 “Quoted” Titles Work'))
  assert.ok(parseSectionLine('3.4 냉전의 시작'), 'scripts without case')
  assert.equal(parseSectionLine('7 The Long Winter'), undefined, 'a bare number is not a section')
})

test('sentence ends ignore closing quotes and trailing markers', () => {
  assert.ok(endsSentence('He said “no.”'))
  assert.ok(endsSentence('It was lost.[citation 4]'))
  assert.ok(endsSentence('It was lost [@kennan1947].'))
  assert.ok(!endsSentence('wrapped in the middle of a'))
})

test('Pandoc citation items', () => {
  assert.deepEqual(parseCitationItems('see @a, p. 33; -@b'), [{ key: 'a', prefix: 'see', locator: 'p. 33' }, { key: 'b', suppressAuthor: true }])
  assert.equal(parseCitationItems('mail me at a@b.com'), undefined)
})

test('trim sizes', () => {
  assert.deepEqual(parseTrim('6x9in'), { width: 6, height: 9, unit: 'in', name: '6x9in' })
  assert.deepEqual(parseTrim('148 x 210 mm'), { width: 148, height: 210, unit: 'mm', name: '148 x 210 mm' })
  assert.equal(parseTrim('A5')?.width, 148)
  assert.equal(parseTrim('huge'), undefined)
})

test('a chapter too large or too deeply nested gets a clear error, not a crash', async () => {
  const big = new VFile({ path: 'big.md', value: '' })
  assert.equal(withinLimits(big, 3 * 1024 * 1024), false)
  assert.equal(big.messages[0]?.ruleId, 'chapter-too-large')
  const dir = await manuscript({
    'book.yaml': 'title: Deep\n',
    '01-quotes.md': '> '.repeat(5000) + 'deep\n',
    '02-lists.md': '- '.repeat(3000) + 'deep\n',
    '03-emphasis.md': '*'.repeat(5000) + 'x' + '*'.repeat(5000) + '\n',
    '04-html.md': '<div>'.repeat(5000) + 'x' + '</div>'.repeat(5000) + '\n',
  })
  const { messages } = await run(dir)
  for (const file of ['01-quotes.md', '02-lists.md', '03-emphasis.md', '04-html.md']) {
    assert.ok(messages.some((line) => line.includes(file) && line.includes('error nesting-too-deep')), `${file}: ${messages.join('\n')}`)
  }
})
