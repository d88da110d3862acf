/**
 * Citation and typography fidelity (issue 16), as pandoc 2.17 gets it right:
 * American and British punctuation around a quotation's note call, short
 * titles derived from the main title, BibLaTeX newspaper articles, spaced
 * ellipses, and French spacing and call placement. Exact texts, through the
 * whole pipeline (no browser).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { manuscript, run } from './helpers.ts'

/** What Zotero's BibLaTeX export writes: a newspaper article is an `@article` with `entrysubtype`. */
const BIB = String.raw`@book{judt2005,
  author    = {Judt, Tony},
  title     = {Postwar: A History of Europe Since 1945},
  publisher = {Penguin Press},
  location  = {New York},
  date      = {2005},
}
@article{binder1961,
  author       = {Binder, David},
  title        = {Berlin Is Divided: Wire Goes Up Overnight},
  journaltitle = {The New York Times},
  entrysubtype = {newspaper},
  date         = {1961-08-14},
}
@article{time1962,
  author       = {Doe, Jane},
  title        = {The Wall, One Year On},
  journal      = {Time},
  entrysubtype = {magazine},
  year         = {1962},
  month        = {August},
  day          = {13},
}
`

async function book(language: string, style: string, text: string) {
  const dir = await manuscript({
    'book.yaml': `title: Fidelity\nlanguage: ${language}\nbibliography: refs.bib\ncitation-style: ${style}\n`,
    'refs.bib': BIB,
    '01-one.md': `---\ntitle: One\n---\n\n${text}\n`,
  })
  const result = await run(dir)
  // Works the test does not cite are reported as never cited; anything else is a regression.
  assert.deepEqual(result.messages.filter((line) => !line.includes('reference-uncited')), [])
  return { html: result.html[0]!, notes: result.book.chapters[0]!.notes.map((note) => note.text), bibliography: result.book.bibliography?.entries.map((entry) => entry.text) ?? [] }
}

const call = (n: number) => `<sup class="noteref"><a id="ch-1-noteref-${n}" href="#ch-1-note-${n}" role="doc-noteref">${n}</a></sup>`
const QUOTED = 'Kennedy said the city was "split on Berlin" [@judt2005, 312]. He called it "a wall" [@binder1961], and left.'

test('a quotation’s note call: American English moves a full stop or comma inside the quote, British keeps it outside', async () => {
  const american = `<p>Kennedy said the city was “split on Berlin.”${call(1)} He called it “a wall,”${call(2)} and left.</p>`
  const british = `<p>Kennedy said the city was “split on Berlin”.${call(1)} He called it “a wall”,${call(2)} and left.</p>`
  assert.equal((await book('en-US', 'chicago-notes-bibliography', QUOTED)).html.split('\n')[0], american)
  // `en` alone is American, as its CSL locale (en-US) is.
  assert.equal((await book('en', 'chicago-notes-bibliography', QUOTED)).html.split('\n')[0], american)
  assert.equal((await book('en-GB', 'chicago-notes-bibliography', QUOTED)).html.split('\n')[0], british)
  assert.equal((await book('en-AU', 'chicago-notes-bibliography', QUOTED)).html.split('\n')[0], british)
  // Author-date styles: the parenthetical stays before the full stop, outside the quote.
  const { html } = await book('en-US', 'chicago-author-date', 'The city was "split on Berlin" [@judt2005, 312].')
  assert.match(html, /“split on Berlin” <span class="citation">\(<a class="citation-link" href="#ref-judt2005">Judt 2005, 312<\/a>\)<\/span>\.<\/p>/)
})

test('Chicago notes: a later note uses the title before the colon; a newspaper article is one, with its full date', async () => {
  const { html, notes, bibliography } = await book('en-US', 'chicago-notes-bibliography', 'One [@judt2005, 312]. Two [@binder1961]. Three [@judt2005, 313]. Four [@time1962]. Five [@binder1961].')
  assert.match(html, /<li id="ch-1-note-3"><p>Judt, <i>Postwar<\/i>, 313\. <a href="#ch-1-noteref-3"/)
  assert.deepEqual(notes, [
    'Tony Judt, Postwar: A History of Europe Since 1945 (New York: Penguin Press, 2005), 312.',
    'David Binder, “Berlin Is Divided: Wire Goes Up Overnight,” The New York Times, August 14, 1961.',
    'Judt, Postwar, 313.',
    'Jane Doe, “The Wall, One Year On,” Time, August 13, 1962.',
    'Binder, “Berlin Is Divided.”',
  ])
  assert.deepEqual(bibliography, [
    'Binder, David. “Berlin Is Divided: Wire Goes Up Overnight.” The New York Times, August 14, 1961.',
    'Doe, Jane. “The Wall, One Year On.” Time, August 13, 1962.',
    'Judt, Tony. Postwar: A History of Europe Since 1945. New York: Penguin Press, 2005.',
  ])
})

test('APA: a newspaper article from a .bib with entrysubtype keeps its day', async () => {
  const { html, bibliography } = await book('en-US', 'apa', 'The wire went up [@binder1961]. A year on [@time1962].')
  assert.match(html, /\(<a class="citation-link" href="#ref-binder1961">Binder, 1961<\/a>\)/)
  assert.deepEqual(bibliography, [
    'Binder, D. (1961, August 14). Berlin Is Divided: Wire Goes Up Overnight. The New York Times.',
    'Doe, J. (1962, August 13). The Wall, One Year On. Time.',
  ])
})

test('a spaced ellipsis stays spaced, with no-break spaces between its dots; an unspaced one is one character', async () => {
  const { html } = await book('en-US', 'chicago-notes-bibliography', 'He paused . . . and went on... Then he stopped. . . . Nothing.')
  assert.equal(html, '<p>He paused .\u00A0.\u00A0. and went on… Then he stopped.\u00A0.\u00A0.\u00A0. Nothing.</p>')
})

test('French: narrow no-break spaces before ; : ! ? and inside guillemets, and the call before the punctuation', async () => {
  const { html, notes } = await book('fr', 'chicago-notes-bibliography', [
    'Il a dit "bonjour" ; puis: « c’est fini ! » Et «\u00A0vraiment\u00A0»? Oui!',
    'Le train part à 10:30, un rapport de 2:3 ; voir https://example.org/a:b?x=1 et `a:b ?`.',
    'La ville était divisée [@judt2005, 312]. Puis « un mur » [@binder1961] ; enfin [@judt2005, 313]!',
  ].join('\n\n'))
  const n = '\u202F'
  assert.equal(html.split('\n').slice(0, 3).join('\n'), [
    `<p>Il a dit «${n}bonjour${n}»${n}; puis${n}: «${n}c’est fini${n}!${n}» Et «${n}vraiment${n}»${n}? Oui${n}!</p>`,
    `<p>Le train part à 10:30, un rapport de 2:3${n}; voir <a href="https://example.org/a:b?x=1">https://example.org/a:b?x=1</a> et <code>a:b ?</code>.</p>`,
    `<p>La ville était divisée${call(1)}. Puis «${n}un mur${n}»${call(2)}${n}; enfin${call(3)}${n}!</p>`,
  ].join('\n'))
  assert.equal(notes.length, 3)
})
