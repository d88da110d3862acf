/**
 * ISBNs as book.yaml's `identifier:` holds them: `978-0-306-40615-7`,
 * `ISBN 0-306-40615-2`, `urn:isbn:9780306406157`. An identifier shaped like
 * an ISBN must have the right check digit, or a store refuses the book and
 * the EPUB names the wrong edition; any other identifier (a URN, a DOI) is
 * taken as written.
 */

const PREFIX = /^(urn:isbn:|isbn(-1[03])?:?)/i

/** The digits of `text` (X for a final ten) if it has the shape of an ISBN-13 or ISBN-10, right or wrong. */
function isbnShape(text: string): string | undefined {
  const digits = text.trim().replace(PREFIX, '').replace(/[\s-]/g, '').toUpperCase()
  return /^97[89]\d{10}$/.test(digits) || /^\d{9}[\dX]$/.test(digits) ? digits : undefined
}

/** The check digit an ISBN with these first 12 (ISBN-13) or 9 (ISBN-10) digits must end with. */
function checkDigit(digits: string): string {
  if (digits.length === 12) {
    const sum = [...digits].reduce((total, digit, index) => total + Number(digit) * (index % 2 === 0 ? 1 : 3), 0)
    return String((10 - (sum % 10)) % 10)
  }
  const sum = [...digits].reduce((total, digit, index) => total + Number(digit) * (10 - index), 0)
  const check = (11 - (sum % 11)) % 11
  return check === 10 ? 'X' : String(check)
}

/** The ISBN in `text` (hyphens and spaces allowed, `ISBN` prefix optional), its digits only, if its check digit is right. */
export function parseIsbn(text: string): string | undefined {
  const digits = isbnShape(text)
  return digits && checkDigit(digits.slice(0, -1)) === digits.at(-1) ? digits : undefined
}

/** The ISBN as the copyright page prints it: as the author wrote it (hyphens kept), without a prefix. */
export function printedIsbn(text: string): string | undefined {
  return parseIsbn(text) ? text.trim().replace(PREFIX, '').trim() : undefined
}

/** What is wrong with `text` as an ISBN, if it has the shape of one and its check digit is wrong. */
export function isbnProblem(text: string): string | undefined {
  const digits = isbnShape(text)
  if (!digits) return undefined
  const expected = checkDigit(digits.slice(0, -1))
  if (expected === digits.at(-1)) return undefined
  return `expected a valid ISBN-${digits.length}: its check digit is ${digits.at(-1)}, but the digits before it give ${expected}. Copy the ISBN again from your agency's record`
}
