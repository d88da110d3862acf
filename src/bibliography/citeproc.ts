/**
 * citeproc-js, loaded on first use: it is a megabyte of JavaScript, and a
 * book without citations should not pay for parsing it.
 */
import { createRequire } from 'node:module'
import type CSLType from 'citeproc'

let loaded: typeof CSLType | undefined

export function citeproc(): typeof CSLType {
  if (!loaded) {
    loaded = createRequire(import.meta.url)('citeproc') as typeof CSLType
    // citeproc-js prints its warnings to stdout, which is the CLI's report channel.
    loaded.debug = () => {}
  }
  return loaded
}
