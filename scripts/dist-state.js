// Whether dist/ holds a compile of the current src/: its stamp is newer than
// every file under src/ (about 150 stats, a few milliseconds at start).
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'

export const STAMP = '.compiled'

/** Every file under src/. */
export function sourceFiles(root) {
  return readdirSync(path.join(root, 'src'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name))
}

export function distIsCurrent(root) {
  let compiled
  try {
    compiled = statSync(path.join(root, 'dist', STAMP)).mtimeMs
  } catch {
    return false
  }
  // The build's own settings count as sources too.
  const inputs = [...sourceFiles(root), path.join(root, 'scripts', 'compile.js'), path.join(root, 'package-lock.json')]
  return inputs.every((file) => statSync(file).mtimeMs <= compiled)
}
