/**
 * PDF/X-1a:2001 by Ghostscript, for the stores that ask for it
 * (IngramSpark). Chromium writes RGB and may use transparency; PDF/X-1a
 * wants CMYK or grey only, no transparency, every font embedded, a trim box
 * on every page and an output intent. Ghostscript's pdfwrite converts the
 * colours, flattens what is transparent at PDF 1.3, and takes the PDF/X
 * keys and the output intent (its own CMYK profile) from a prefix file
 * written here. Ghostscript is never a dependency: without it the files
 * stay as Chromium made them and the preflight says so.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { accessSync, constants, existsSync } from 'node:fs'
import { mkdtemp, readFile, readdir, realpath, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pdfDate } from './pdf-file.ts'

/** Ghostscript's executable and its CMYK profile, when it is installed. */
export interface Ghostscript {
  executable: string
  version: string
  profile: string
}

/** The profile's printing condition: Ghostscript's default_cmyk.icc is a SWOP press. */
const CONDITION = 'CGATS TR 001'

/** What `findGhostscript` found: Ghostscript, or why there is none to use. */
export type GhostscriptSearch = { found: Ghostscript } | { missing: string }

/** Find Ghostscript: `QUIRE_GS` (empty: none), else `gs` on the PATH, and the CMYK profile it ships. */
export async function findGhostscript(env: NodeJS.ProcessEnv = process.env): Promise<GhostscriptSearch> {
  const named = env.QUIRE_GS ?? 'gs'
  const executable = named === '' ? undefined : named.includes(path.sep) ? named : onPath(named, env.PATH ?? '')
  const version = executable ? (await run(executable, ['--version']).catch(() => undefined))?.trim() : undefined
  if (!executable || !version) return { missing: 'Ghostscript is not installed (apt-get install ghostscript, brew install ghostscript)' }
  const profile = await findProfile(await realpath(executable), version)
  if (!profile) return { missing: `Ghostscript ${version} (${executable}) was found, but not its default_cmyk.icc, the output profile of a PDF/X file` }
  return { found: { executable, version, profile } }
}

/** The first executable file of that name in the PATH's folders (never the working folder). */
function onPath(name: string, pathVariable: string): string | undefined {
  for (const dir of pathVariable.split(path.delimiter)) {
    if (!path.isAbsolute(dir)) continue
    const candidate = path.join(dir, name)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // Not here.
    }
  }
  return undefined
}

/** default_cmyk.icc from Ghostscript's own share folder (Debian: /usr/share/ghostscript/10.00.0/iccprofiles). */
async function findProfile(executable: string, version: string): Promise<string | undefined> {
  // Its installation's prefix (bin/gs → share/ghostscript), then the usual ones.
  const prefixes = [path.resolve(path.dirname(executable), '..'), '/usr', '/usr/local', '/opt/homebrew', '/opt/local']
  for (const prefix of prefixes) {
    const share = path.join(prefix, 'share', 'ghostscript')
    const versions = existsSync(share) ? [version, ...(await readdir(share))] : []
    for (const folder of versions) {
      const profile = path.join(share, folder, 'iccprofiles', 'default_cmyk.icc')
      if (existsSync(profile)) return profile
    }
  }
  return undefined
}

/**
 * The same pages as PDF/X-1a:2001. The standard requires the title and the
 * dates in the Info dictionary; the edition's dates keep the bytes the same
 * from build to build. Throws with Ghostscript's own words when it fails.
 */
export async function convertToPdfX(bytes: Uint8Array, info: { title: string; date: Date; colour: 'gray' | 'cmyk' }, gs: Ghostscript): Promise<Uint8Array> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-pdfx-'))
  try {
    const input = path.join(dir, 'in.pdf')
    const output = path.join(dir, 'out.pdf')
    const prefix = path.join(dir, 'pdfx.ps')
    await writeFile(input, bytes)
    await writeFile(prefix, prefixFile(info.title, pdfDate(info.date), gs.profile))
    await run(gs.executable, [
      '-q',
      '-dBATCH',
      '-dNOPAUSE',
      '-dSAFER',
      `--permit-file-read=${gs.profile}`,
      '-dPDFX',
      '-dCompatibilityLevel=1.3',
      '-sDEVICE=pdfwrite',
      // Black and white pages in grey, so black text prints in black ink alone, not as four inks' rich black.
      ...(info.colour === 'gray' ? ['-sColorConversionStrategy=Gray', '-sProcessColorModel=DeviceGray'] : ['-sColorConversionStrategy=CMYK', '-sProcessColorModel=DeviceCMYK']),
      '-dPDFSETTINGS=/prepress',
      '-dEmbedAllFonts=true',
      `-sOutputFile=${output}`,
      prefix,
      input,
    ])
    return fixedId(await readFile(output))
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * PDF/X requires a document id, and Ghostscript makes a new one each run:
 * it becomes the MD5 of the file with the id zeroed, in place (the same
 * length), so the same book gives the same bytes.
 */
export function fixedId(bytes: Uint8Array): Uint8Array {
  const text = Buffer.from(bytes).toString('latin1')
  const pattern = /\/ID ?\[ ?<([0-9A-Fa-f]{32})> ?<([0-9A-Fa-f]{32})> ?\]/g
  const matches = [...text.matchAll(pattern)]
  if (matches.length === 0) throw new Error('Ghostscript wrote no document id, which PDF/X requires')
  const zeroed = text.replace(pattern, (match) => match.replace(/<[0-9A-Fa-f]{32}>/g, `<${'0'.repeat(32)}>`))
  const id = createHash('md5').update(Buffer.from(zeroed, 'latin1')).digest('hex').toUpperCase()
  return Buffer.from(text.replace(pattern, (match) => match.replace(/<[0-9A-Fa-f]{32}>/g, `<${id}>`)), 'latin1')
}

/** The PostScript prefix that gives the file its PDF/X keys and output intent. */
function prefixFile(title: string, date: string, profile: string): string {
  const string = (text: string) => `<${Buffer.from(text, 'latin1').toString('hex')}>`
  return `%!
[ /GTS_PDFXVersion (PDF/X-1:2001)
  /GTS_PDFXConformance (PDF/X-1a:2001)
  /Title ${string(title.replace(/[^\x20-\x7e]/g, '?'))}
  /Trapped /False
  /CreationDate (${date})
  /ModDate (${date})
/DOCINFO pdfmark
[/_objdef {icc_PDFX} /type /stream /OBJ pdfmark
[{icc_PDFX} << /N 4 >> /PUT pdfmark
[{icc_PDFX} ${string(profile)} (r) file /PUT pdfmark
[/_objdef {OutputIntent_PDFX} /type /dict /OBJ pdfmark
[{OutputIntent_PDFX} <<
  /Type /OutputIntent
  /S /GTS_PDFX
  /DestOutputProfile {icc_PDFX}
  /OutputCondition (Ghostscript default CMYK)
  /OutputConditionIdentifier (${CONDITION})
  /RegistryName (http://www.color.org)
>> /PUT pdfmark
[{Catalog} << /OutputIntents [ {OutputIntent_PDFX} ] >> /PUT pdfmark
`
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(command, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${path.basename(command)} failed: ${(stderr || stdout || error.message).trim().split('\n').slice(0, 5).join(' ')}`, { cause: error }))
      else resolve(stdout)
    }),
  )
}
