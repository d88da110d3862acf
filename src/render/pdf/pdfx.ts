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
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
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

/** Find Ghostscript: `QUIRE_GS` (empty: none), else `gs` on the PATH; undefined when there is none. */
export async function findGhostscript(env: NodeJS.ProcessEnv = process.env): Promise<Ghostscript | undefined> {
  const executable = env.QUIRE_GS ?? 'gs'
  if (executable === '') return undefined
  const version = await run(executable, ['--version']).catch(() => undefined)
  if (!version) return undefined
  const profile = await findProfile(executable, version.trim())
  return profile ? { executable, version: version.trim(), profile } : undefined
}

/** default_cmyk.icc from Ghostscript's own share folder (Debian: /usr/share/ghostscript/10.00.0/iccprofiles). */
async function findProfile(executable: string, version: string): Promise<string | undefined> {
  const prefixes = [path.resolve(path.dirname(executable), '..'), '/usr', '/usr/local', '/opt/homebrew']
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
export async function convertToPdfX(bytes: Uint8Array, info: { title: string; date: Date }, gs: Ghostscript): Promise<Uint8Array> {
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
      '-sColorConversionStrategy=CMYK',
      '-sProcessColorModel=DeviceCMYK',
      '-dPDFSETTINGS=/prepress',
      '-dEmbedAllFonts=true',
      // No random document id: the same book gives the same bytes.
      '-dOmitID',
      `-sOutputFile=${output}`,
      prefix,
      input,
    ])
    return await readFile(output)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
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
