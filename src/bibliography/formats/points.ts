/** Offsets to line/column points, for readers whose parser only gives offsets. */
import type { Point } from 'unist'
import { location } from 'vfile-location'

/** A function from a string offset to a 1-based point. */
export function pointsOf(text: string): (offset: number) => Point | undefined {
  const place = location(text)
  return (offset) => place.toPoint(offset)
}
