/** Unit tests of the citation helpers: locators, item normalization, ids, lead-ins, note placement. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Paragraph, Root } from 'mdast'
import { referenceIds } from '../src/bibliography/bibliography.ts'
import { liftLeadIns } from '../src/bibliography/lead-ins.ts'
import { parseLocator } from '../src/bibliography/locators.ts'
import { normalizeItem } from '../src/bibliography/normalize.ts'
import { notePlacementFor, placeNoteReference } from '../src/bibliography/note-placement.ts'
import type { CslItem } from '../src/bibliography/types.ts'
import type { Citation } from '../src/unified/types.ts'

test('locators: CSL label, value and suffix', () => {
  assert.deepEqual(parseLocator('p. 33'), { label: 'page', locator: '33' })
  assert.deepEqual(parseLocator('pp. 33–35'), { label: 'page', locator: '33–35' })
  assert.deepEqual(parseLocator('33'), { label: 'page', locator: '33' })
  assert.deepEqual(parseLocator('chap. 4'), { label: 'chapter', locator: '4' })
  assert.deepEqual(parseLocator('ch. 3'), { label: 'chapter', locator: '3' })
  assert.deepEqual(parseLocator('sec. 14.34'), { label: 'section', locator: '14.34' })
  assert.deepEqual(parseLocator('§ 12'), { label: 'section', locator: '12' })
  assert.deepEqual(parseLocator('vol. ii'), { label: 'volume', locator: 'ii' })
  assert.deepEqual(parseLocator('p. 33, emphasis added'), { label: 'page', locator: '33', suffix: ', emphasis added' })
  assert.deepEqual(parseLocator('emphasis added'), { suffix: ', emphasis added' })
  assert.deepEqual(parseLocator(undefined), {})
})

test('items: string dates become date-parts, string names objects, bad items a reason', () => {
  assert.deepEqual(normalizeItem({ id: 7, type: 'book', issued: 2005 }), { id: '7', type: 'book', issued: { 'date-parts': [[2005]] } })
  assert.deepEqual(normalizeItem({ id: 'a', type: 'book', issued: '2006-10-14' }), { id: 'a', type: 'book', issued: { 'date-parts': [[2006, 10, 14]] } })
  assert.deepEqual((normalizeItem({ id: 'a', type: 'book', issued: '1961/1989' }) as CslItem).issued, { 'date-parts': [[1961], [1989]] })
  assert.deepEqual((normalizeItem({ id: 'a', type: 'book', issued: 'spring 1947' }) as CslItem).issued, { literal: 'spring 1947' })
  assert.deepEqual((normalizeItem({ id: 'a', type: 'book', author: 'Kennan, George F.' }) as CslItem).author, [{ family: 'Kennan', given: 'George F.' }])
  assert.match(normalizeItem({ type: 'book' }) as string, /no `id`/)
  assert.match(normalizeItem({ id: 'x' }) as string, /no `type`/)
})

test('reference ids are XML-safe and unique', () => {
  const ids = referenceIds(['a/b', 'a:b', 'kennan1947'])
  assert.equal(ids.get('kennan1947'), 'ref-kennan1947')
  assert.equal(ids.get('a/b'), 'ref-a-b')
  assert.equal(ids.get('a:b'), 'ref-a-b-2')
})

const citation = (value: string): Citation => ({ type: 'citation', value, kind: 'marker', marker: 1 })
const paragraph = (...children: Paragraph['children']): Paragraph => ({ type: 'paragraph', children })
const text = (value: string) => ({ type: 'text' as const, value })

test('"See [citation N]." moves "See" into the note, or into the parentheses', () => {
  const note = citation('[citation 3]')
  const tree: Root = { type: 'root', children: [paragraph(text('It was contained. See '), note, text('. Then more.'))] }
  liftLeadIns(tree, 'note')
  assert.equal(note.leadIn, 'See')
  assert.deepEqual((tree.children[0] as Paragraph).children.map((child) => (child.type === 'text' ? child.value : child.type)), ['It was contained.', 'citation', ' Then more.'])

  const inText = citation('[citation 3]')
  const tree2: Root = { type: 'root', children: [paragraph(text('It was contained. See also '), inText, text('.'))] }
  liftLeadIns(tree2, 'in-text')
  assert.equal(inText.leadIn, 'see also')
  assert.deepEqual((tree2.children[0] as Paragraph).children.map((child) => (child.type === 'text' ? child.value : child.type)), ['It was contained ', 'citation', '.'])

  // A paragraph of its own ("See [citation 3]." on its own line): the note joins the paragraph before.
  const alone = citation('[citation 3]')
  const tree3: Root = { type: 'root', children: [paragraph(text('It was contained.')), paragraph(text('See '), alone, text('.'))] }
  liftLeadIns(tree3, 'note')
  assert.equal(tree3.children.length, 1)
  assert.deepEqual((tree3.children[0] as Paragraph).children, [text('It was contained.'), alone])

  // …and a second lead-in later in that paragraph is still seen.
  const opening = citation('[citation 3]')
  const later = citation('[citation 4]')
  const tree5: Root = { type: 'root', children: [paragraph(text('Before.')), paragraph(text('See '), opening, text('. Then it grew. See '), later, text('.'))] }
  liftLeadIns(tree5, 'note')
  assert.equal(later.leadIn, 'See')
  assert.deepEqual((tree5.children[1] as Paragraph).children, [text('Then it grew.'), later, text('')])

  // Mid-sentence "see" is the author's wording, not a lead-in.
  const kept = citation('[citation 3]')
  const tree4: Root = { type: 'root', children: [paragraph(text('as you will see '), kept, text('.'))] }
  liftLeadIns(tree4, 'note')
  assert.equal(kept.leadIn, undefined)
})

test('a note number goes after the punctuation, with no space before it', () => {
  const node = citation('[citation 1]')
  const parent = paragraph(text('in 1947 '), node, text('.” Next'))
  assert.equal(placeNoteReference(parent, 1), 1)
  assert.deepEqual(parent.children, [text('in 1947.”'), node, text(' Next')])
  const first = citation('[citation 1]')
  const alone = paragraph(first, text(', then'))
  assert.equal(placeNoteReference(alone, 0), 1)
  assert.deepEqual(alone.children, [text(','), first, text(' then')])
})

test('items without a short title get the main title before the colon', () => {
  const short = (item: Record<string, unknown>) => (normalizeItem({ id: 'a', type: 'book', ...item }) as CslItem)['title-short']
  assert.equal(short({ title: 'Postwar: A History of Europe Since 1945' }), 'Postwar')
  assert.equal(short({ title: 'Postwar: A History', 'title-short': 'Post' }), 'Post', 'an explicit short title wins')
  assert.equal(short({ title: 'Resolution 1718 (2006)' }), undefined, 'no subtitle, no short title: citeproc uses the title')
  assert.equal(short({ title: 'Meeting at 10:30' }), undefined)
  assert.equal(short({ title: '<i>Ulysses: A Novel</i>: A Study' }), undefined, 'never cut inside markup')
})

test('a note number among quotes: American, British and French placement', () => {
  assert.equal(notePlacementFor('en'), 'inside-quotes')
  assert.equal(notePlacementFor('en-US'), 'inside-quotes')
  assert.equal(notePlacementFor('en-CA'), 'inside-quotes')
  for (const tag of ['en-GB', 'en-AU', 'en-NZ', 'en-IE', 'en-ZA']) assert.equal(notePlacementFor(tag), 'after-punctuation', tag)
  assert.equal(notePlacementFor('fr-CA'), 'before-punctuation')
  assert.equal(notePlacementFor('de'), 'after-punctuation')

  const place = (before: string, after: string, placement: Parameters<typeof placeNoteReference>[2]) => {
    const node = citation('[citation 1]')
    const parent = paragraph(text(before), node, text(after))
    placeNoteReference(parent, 1, placement)
    return parent.children.map((child) => (child.type === 'text' ? child.value : '¹')).join('')
  }
  assert.equal(place('on “Berlin” ', '. Next', 'inside-quotes'), 'on “Berlin.”¹ Next')
  assert.equal(place('a “wall” ', ', and', 'inside-quotes'), 'a “wall,”¹ and')
  assert.equal(place('a “wall”, ', 'and', 'inside-quotes'), 'a “wall,”¹and', 'a comma typed before the marker moves in too')
  assert.equal(place('a “wall” ', '; and', 'inside-quotes'), 'a “wall”;¹ and', 'semicolons stay outside')
  assert.equal(place('“he said ‘no’” ', '.', 'inside-quotes'), '“he said ‘no.’”¹', 'inside an inner quotation too')
  assert.equal(place('“the students’” ', '.', 'inside-quotes'), '“the students’.”¹', 'an apostrophe is not a quote')
  assert.equal(place('on “Berlin” ', '. Next', 'after-punctuation'), 'on “Berlin”.¹ Next')
  assert.equal(place('la ville ', '. Puis', 'before-punctuation'), 'la ville¹. Puis')
})
