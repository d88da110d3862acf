/** Suggestions for misspelt names: config keys, citation keys, style ids. */

/** The candidate closest to a misspelt word, if it is close enough to be a typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const [best] = nearest(word, candidates, 1)
  return best && best.distance <= Math.max(2, Math.floor(word.length / 3)) ? best.candidate : undefined
}

/** The `count` candidates nearest to `word` by edit distance, nearest first (ties in the candidates' order). */
export function nearest(word: string, candidates: Iterable<string>, count: number): { candidate: string; distance: number }[] {
  const lower = word.toLowerCase()
  const scored: { candidate: string; distance: number }[] = []
  for (const candidate of candidates) scored.push({ candidate, distance: editDistance(lower, candidate.toLowerCase()) })
  return scored.sort((a, b) => a.distance - b.distance).slice(0, count)
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = current
    }
  }
  return row[b.length]!
}
