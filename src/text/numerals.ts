/** Numbers as books print them besides digits. */

/** Lowercase roman numerals (front-matter folios; a part's number, uppercased). */
export function roman(value: number): string {
  const numerals: [number, string][] = [[1000, 'm'], [900, 'cm'], [500, 'd'], [400, 'cd'], [100, 'c'], [90, 'xc'], [50, 'l'], [40, 'xl'], [10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i']]
  let rest = value
  let out = ''
  for (const [size, letters] of numerals) {
    while (rest >= size) {
      out += letters
      rest -= size
    }
  }
  return out
}
