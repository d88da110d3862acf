/**
 * Rule `character-invalid`: a character XML 1.0 cannot hold (a control
 * character other than tab and line breaks, U+FFFE, U+FFFF, a lone
 * surrogate), pasted from a word processor or a terminal. The EPUB is XML,
 * so its serializer leaves such a character out; this says so where the
 * character is, before any edition is built.
 */
import type { Root } from 'mdast'
import type { VFile } from 'vfile'
import { XML_FORBIDDEN } from '../text/xml.ts'
import { reportSpan } from './prose.ts'

/** Report every such character in the file as written (front matter and code included: the EPUB holds those too). */
export function reportInvalidCharacters(file: VFile): void {
  const source = String(file.value)
  const pattern = new RegExp(XML_FORBIDDEN.source, 'g')
  for (let match = pattern.exec(source); match; match = pattern.exec(source)) {
    const code = `U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`
    reportSpan(file, 'character-invalid', `Unexpected character ${code}${NAMES[match[0]] ? ` (${NAMES[match[0]]})` : ''}, which an EPUB cannot hold: delete it${match[0] === '\v' ? ' (a word processor’s line break: start a new line instead)' : ''}`, match.index, match.index + match[0].length)
  }
}

const NAMES: Record<string, string> = { '\0': 'null', '\b': 'backspace', '\v': 'vertical tab', '\f': 'form feed', '\u001b': 'escape', '\ufffe': 'a noncharacter', '\uffff': 'a noncharacter' }

export function remarkCharacterInvalid() {
  return function (_tree: Root, file: VFile) {
    reportInvalidCharacters(file)
  }
}
