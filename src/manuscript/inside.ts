/** The one test of "inside the manuscript folder", for images, bibliographies and style files. */
import path from 'node:path'

/** Whether `target` lies below `root` (both absolute, symlinks already resolved where that matters). */
export function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target)
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)
}
