/** Where Quire's own files are, whatever the working directory. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The package root (the folder holding package.json). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
/** Quire's stylesheets. */
export const STYLES_DIR = path.join(PACKAGE_ROOT, 'styles')
/** Quire's version, from package.json. */
export const QUIRE_VERSION: string = (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version
