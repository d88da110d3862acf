/**
 * The `quire` command: argv → options → build(), analyze() or
 * writeStartingBook(). No logic of its own beyond parsing arguments,
 * reporting and exit codes:
 * 0 success, 1 the manuscript has errors (or the build failed), 2 usage error.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import path from 'node:path'
import { formats, isFormat } from '../render/formats.ts'
import { QUIRE_VERSION } from '../files/paths.ts'
import { watchLauncher } from './launcher.ts'
import { createProgress } from './progress.ts'
import type { FixedFile } from '../write/fix-sources.ts'
import type { VFile } from 'vfile'
import type { ResolvedConfig } from '../config/schema.ts'
import { FolderRefusedError } from '../write/safe-folder.ts'

/** `check --fix` passes at most: each settles what overlapping fixes left for the next. */
const MAX_FIX_PASSES = 5

/** How long `preview` waits for a build under way to stop after a signal before it exits anyway, ms. */
const PREVIEW_CLOSE_MS = 5000

const HELP = `quire ${QUIRE_VERSION}: turn a Markdown manuscript into an HTML web edition, an EPUB and a print PDF.

Usage:
  quire init [DIR]                         start a new book in DIR (default: here), its manuscript in DIR/chapters
  quire build [MANUSCRIPT_DIR] [options]   build the editions (default folder: chapters)
  quire check [MANUSCRIPT_DIR] [options]   report problems in the manuscript, like a compiler
  quire preview [MANUSCRIPT_DIR] [options] serve the web edition, rebuilt as you save

Run \`quire init --help\`, \`quire build --help\`, \`quire check --help\` or \`quire preview --help\` for more.
  -h, --help      show this help
  -v, --version   print the version

Exit codes: 0 success, 1 the manuscript has errors, 2 usage error.
`

const BUILD_HELP = `Usage: quire build [MANUSCRIPT_DIR] [options]

Builds the editions of the manuscript in MANUSCRIPT_DIR (default: chapters).
Errors in the manuscript stop the build (exit 1) and leave the last good
editions in place; --draft builds anyway.

Options:
  -o, --out DIR          output folder (default: build)
  -f, --format LIST      comma-separated formats: ${formats.join(', ')} (default: all)
      --draft            build even when the manuscript has errors
  -j, --jobs N           worker threads for parsing and citations
                         (default: one per core; 1: none)
      --no-cache         parse, format and paginate everything afresh,
                         and neither read nor prune OUT/.cache
  -q, --quiet            print only errors
      --verbose          print every diagnostic, info included
      --report json      print the diagnostics to stdout as JSON, as
                         \`check --format json\` does, instead of the text report
  -h, --help             show this help
`

const CHECK_HELP = `Usage: quire check [MANUSCRIPT_DIR] [options]

Reports every problem in the manuscript with its file, line and column.
Exits 1 when any error remains.

Options:
  -f, --format FORMAT    text (default) or json: an array of
                         {file, line, column, endLine, endColumn, page, ruleId,
                         severity, message} (page: of a PDF, with --print)
      --fix              apply the safe fixes (blank-line runs, doubled spaces,
                         spaces before punctuation, tracking parameters, web
                         residue that ends a paragraph or the chapter), then
                         report what remains; each fixed file keeps its
                         original as FILE.orig
      --no-backup        with --fix: do not keep the originals
      --print            also preflight the print file and the cover that
                         \`quire build\` wrote for book.yaml's \`print: preset:\`
                         (kdp, ingramspark): what the store would refuse,
                         each with its page
  -o, --out DIR          with --print: where the build wrote them (default: build)
  -j, --jobs N           worker threads (default: one per core; 1: none)
      --cache-dir DIR    reuse and keep parsed chapters there
                         (default: build/.cache, which \`quire build\` fills)
      --no-cache         parse everything afresh and keep nothing
  -q, --quiet            print only errors and warnings
  -h, --help             show this help

book.yaml's \`checks: {rule-id: off | info | warning | error}\` turns a rule off
or changes its severity; <!-- quire-ignore rule-id --> in a chapter silences
that rule once, on the rest of its line or the next line with text.
`

const PREVIEW_HELP = `Usage: quire preview [MANUSCRIPT_DIR] [options]

Builds the web edition of the manuscript in MANUSCRIPT_DIR (default: chapters),
serves it, and rebuilds it when a chapter, book.yaml, an image or Quire's
styles change; open pages reload themselves where they were. While the
manuscript has errors, the page shows them and the last good build stays.
The contents page's Download EPUB and Download PDF build those editions of
the current manuscript (into build/).

Options:
  -p, --port PORT        port to listen on (default: 4173; 0: any free port)
  -o, --out DIR          where the cache and the downloaded editions go
                         (default: build)
      --host HOST        address to listen on (default: 127.0.0.1, this
                         machine only; another address shares the preview).
                         Requests must name localhost, 127.0.0.1, [::1] or
                         HOST (with 0.0.0.0 or ::, also this machine's
                         addresses and host name); others get 421
  -h, --help             show this help
`

const INIT_HELP = `Usage: quire init [DIR]

Starts a new book in DIR (default: the current folder): writes its
manuscript into DIR/chapters, the folder \`quire build\`, \`check\` and
\`preview\` read when run in DIR: book.yaml with every common setting
explained, two short chapters (numbered sections, an opening dateline,
citations, a figure), references.bib and images/. DIR is created if it
does not exist. A chapters folder that already holds a book.yaml or
chapter files, or any file the starting book would replace, is refused
(exit 2) and nothing is written.

Options:
  -h, --help             show this help
`

class UsageError extends Error {}

interface Io {
  stdout: NodeJS.WriteStream
  stderr: NodeJS.WriteStream
  env: NodeJS.ProcessEnv
  cwd: string
}

const defaultIo = (): Io => ({ stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() })

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  try {
    const [command, ...rest] = argv
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      io.stdout.write(HELP)
      return command === undefined ? 2 : 0
    }
    if (command === '-v' || command === '--version') {
      io.stdout.write(`${QUIRE_VERSION}\n`)
      return 0
    }
    if (command === 'init') return await runInit(rest, io)
    if (command === 'build') return await runBuild(rest, io)
    if (command === 'check') return await runCheck(rest, io)
    if (command === 'preview') return await runPreview(rest, io)
    throw new UsageError(`Unknown command "${command}": use init, build, check or preview`)
  } catch (error) {
    // A refused --out or --cache-dir (the root, the home folder, the manuscript's) is a usage error too.
    if (error instanceof UsageError || error instanceof FolderRefusedError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`quire: ${(error as Error).message}\nRun \`quire --help\` for usage.\n`)
      return 2
    }
    io.stderr.write(`quire: ${describe(error)}\n`)
    return 1
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const cause = error.cause instanceof Error && !error.message.includes(error.cause.message) ? ` (${error.cause.message})` : ''
  return error.message + cause
}

const WORK_OPTIONS = {
  jobs: { type: 'string', short: 'j' },
  'no-cache': { type: 'boolean' },
} as const

/** `--jobs` and the cache folder as build options. */
function workOptions(values: { jobs?: string | undefined; 'no-cache'?: boolean | undefined }, cacheDir: string): { jobs?: number; cacheDir: string | false } {
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs)
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) throw new UsageError(`--jobs takes a whole number of threads, 1 or more (got "${values.jobs}")`)
  return { ...(jobs === undefined ? {} : { jobs }), cacheDir: values['no-cache'] ? false : cacheDir }
}

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  const parsed = parseArgs({ args, options, allowPositionals: true, strict: true })
  if (parsed.positionals.length > 1) throw new UsageError(`Expected one manuscript folder, got ${parsed.positionals.length}: ${parsed.positionals.join(' ')}`)
  return parsed
}

async function runBuild(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    out: { type: 'string', short: 'o' },
    format: { type: 'string', short: 'f' },
    draft: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    verbose: { type: 'boolean' },
    report: { type: 'string' },
    ...WORK_OPTIONS,
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.stdout.write(BUILD_HELP)
    return 0
  }
  if (values.report !== undefined && values.report !== 'json') throw new UsageError(`--report takes json (got "${values.report}"); without it the diagnostics are a text report`)
  const wanted = values.format?.split(',').map((format) => format.trim().toLowerCase()).filter(Boolean)
  for (const format of wanted ?? []) {
    if (!isFormat(format)) throw new UsageError(`Unknown format "${format}" in --format: choose from ${formats.join(', ')}`)
  }
  const progress = createProgress(io.stderr, { quiet: Boolean(values.quiet), env: io.env })
  const started = performance.now()
  // Loaded when a command needs them, so `quire --version` and `--help` start at once.
  const [{ build }, { formatText, toDiagnostics }] = await Promise.all([import('../build.ts'), import('../diagnostics/report.ts')])
  const result = await build({
    manuscript: positionals[0] ?? 'chapters',
    out: values.out ?? 'build',
    ...(wanted ? { formats: wanted } : {}),
    draft: Boolean(values.draft),
    ...workOptions(values, path.join(values.out ?? 'build', '.cache')),
    cwd: io.cwd,
    onProgress: (event) => progress.onProgress(event),
  }).finally(() => progress.done())
  if (values.report === 'json') io.stdout.write(JSON.stringify(toDiagnostics(result.files), null, 2) + '\n')
  else {
    const report = formatText(result.files, { minimum: values.verbose ? 'info' : values.quiet ? 'error' : 'warning', color: Boolean(io.stderr.isTTY) && !io.env.NO_COLOR })
    if (report) io.stderr.write(report + '\n')
  }
  if (result.preflightErrors > 0 && result.errors === result.preflightErrors) {
    const where = Object.values(result.written).map((target) => path.relative(io.cwd, target))
    io.stderr.write(`quire: built ${where.join(', ')}, but the preflight found ${result.preflightErrors} error${result.preflightErrors === 1 ? '' : 's'} the store would refuse (above). Fix them before uploading.\n`)
    return 1
  }
  if (result.errors > 0 && !values.draft) {
    io.stderr.write(`quire: ${result.errors} error${result.errors === 1 ? '' : 's'} in the manuscript: nothing was written (the last build is kept). Fix them, or use --draft.\n`)
    return 1
  }
  if (!values.quiet) {
    const seconds = ((performance.now() - started) / 1000).toFixed(2)
    const where = Object.entries(result.written).map(([format, target]) => `${format} → ${path.relative(io.cwd, target)}`)
    io.stderr.write(`quire: built ${where.join(', ')} (${result.book.chapters.length} chapters) in ${seconds} s\n`)
  }
  return result.errors > 0 ? 1 : 0
}

async function runInit(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true })
  if (values.help) {
    io.stdout.write(INIT_HELP)
    return 0
  }
  if (positionals.length > 1) throw new UsageError(`Expected one folder for the new book, got ${positionals.length}: ${positionals.join(' ')}`)
  const given = positionals[0]
  const { writeStartingBook, InitRefusedError } = await import('../init/starting-book.ts')
  let written
  try {
    // DIR is the book's folder; its manuscript is DIR/chapters, where the other commands look when run there.
    written = await writeStartingBook(path.resolve(io.cwd, given ?? '.', 'chapters'), { cwd: io.cwd })
  } catch (error) {
    if (!(error instanceof InitRefusedError)) throw error
    io.stderr.write(`quire: ${error.message}\n`)
    return 2
  }
  // From an npm script or npx, the next commands go through npx too (Quire installed in the book's folder).
  const quire = io.env.npm_command === 'exec' || io.env.npm_lifecycle_event ? 'npx quire' : 'quire'
  const away = given !== undefined && path.resolve(io.cwd, given) !== io.cwd
  const next: [string, string][] = [
    [`${quire} preview`, 'read it in a browser (http://127.0.0.1:4173/), rebuilt as you save'],
    [`${quire} build`, `write the web edition, the EPUB and the PDF into build${path.sep}`],
  ]
  const width = Math.max(...next.map(([command]) => command.length)) + 3
  io.stdout.write(
    `quire: wrote a starting book into ${written.shown}: ${written.files.join(', ')}\n\n` +
      (away ? `Next, in its folder (cd ${shellQuote(given!)}):\n` : 'Next:\n') +
      next.map(([command, what]) => `  ${command.padEnd(width)}${what}\n`).join(''),
  )
  return 0
}

/** `text` as a shell word: as it is when it holds nothing a shell reads specially, else in single quotes. */
function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`
}

async function runPreview(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    out: { type: 'string', short: 'o' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.stdout.write(PREVIEW_HELP)
    return 0
  }
  const port = values.port === undefined ? 4173 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port takes a port number from 0 to 65535 (got "${values.port}")`)
  // Asked to stop by a signal, or by the package runner that started us going away; a second signal stops at once.
  const stop = new AbortController()
  const signals = ['SIGINT', 'SIGTERM'] as const
  const onSignal = () => (stop.signal.aborted ? process.exit(1) : stop.abort())
  for (const signal of signals) process.on(signal, onSignal)
  const unwatch = watchLauncher(() => stop.abort())
  try {
    const { startPreview } = await import('../preview/server.ts')
    const preview = await startPreview({
      manuscript: positionals[0] ?? 'chapters',
      cwd: io.cwd,
      port,
      ...(values.host ? { host: values.host } : {}),
      ...(values.out ? { out: values.out } : {}),
      log: (line) => io.stderr.write(line + '\n'),
    })
    if (!stop.signal.aborted) io.stdout.write(`quire: previewing at ${preview.url} (Ctrl-C to stop)\n`)
    await new Promise((resolve) => (stop.signal.aborted ? resolve(undefined) : stop.signal.addEventListener('abort', resolve)))
    // Whatever still holds the process after this (a PDF being printed) must not keep it: puppeteer kills its browser on exit.
    setTimeout(() => process.exit(0), PREVIEW_CLOSE_MS).unref()
    await preview.close()
    return 0
  } finally {
    unwatch()
    for (const signal of signals) process.off(signal, onSignal)
  }
}

async function runCheck(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    format: { type: 'string', short: 'f' },
    fix: { type: 'boolean' },
    'no-backup': { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    'cache-dir': { type: 'string' },
    print: { type: 'boolean' },
    out: { type: 'string', short: 'o' },
    ...WORK_OPTIONS,
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.stdout.write(CHECK_HELP)
    return 0
  }
  const format = values.format ?? 'text'
  if (format !== 'text' && format !== 'json') throw new UsageError(`Unknown --format "${format}" for check: use text or json`)
  if (values['no-backup'] && !values.fix) throw new UsageError('--no-backup goes with --fix')
  if (values.out !== undefined && !values.print) throw new UsageError('--out goes with --print: it names the folder the build wrote the print files to')
  const manuscript = positionals[0] ?? 'chapters'
  const work = workOptions(values, values['cache-dir'] ?? path.join('build', '.cache'))
  const [{ analyze }, { formatText, toDiagnostics }] = await Promise.all([import('../build.ts'), import('../diagnostics/report.ts')])
  // Citations are matched and checked, not formatted: what only a build needs is skipped.
  let result = await analyze({ manuscript, cwd: io.cwd, formatCitations: false, ...work })
  if (values.fix) {
    // Fixes that touch the same characters wait for the next pass, on the text the last one left.
    const fixed: FixedFile[] = []
    const backedUp = new Set<string>()
    for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
      const { fixSources } = await import('../write/fix-sources.ts')
      const round = await fixSources(result.files, { backup: !values['no-backup'], backedUp })
      fixed.push(...round)
      if (!round.some((entry) => entry.fixes.length > 0)) break
      // Report what is left, as the files now are.
      result = await analyze({ manuscript, cwd: io.cwd, formatCitations: false, ...work })
    }
    const { describeFixes } = await import('../write/fix-sources.ts')
    io.stderr.write(describeFixes(fixed, io.cwd))
  }
  if (values.print) result = await withPreflight(result, path.resolve(io.cwd, values.out ?? 'build'), io.cwd)
  if (format === 'json') {
    io.stdout.write(JSON.stringify(toDiagnostics(result.files), null, 2) + '\n')
  } else {
    const report = formatText(result.files, { minimum: values.quiet ? 'warning' : 'info', color: Boolean(io.stdout.isTTY) && !io.env.NO_COLOR })
    io.stdout.write(report ? report + '\n' : `${positionals[0] ?? 'chapters'}: no problems found\n`)
  }
  return result.errors > 0 ? 1 : 0
}

/** `check --print`: the manuscript's diagnostics and then the preflight's, of the files the build left in OUT. */
async function withPreflight<T extends { files: VFile[]; errors: number; book: { config: ResolvedConfig } }>(result: T, out: string, cwd: string): Promise<T> {
  const { config } = result.book
  if (!config.print.preset) throw new UsageError('--print checks the files for a print-on-demand store: name it in book.yaml, as `print: {preset: kdp}` or `print: {preset: ingramspark}`, and build the book')
  const [{ preflight }, { countErrors }] = await Promise.all([import('../preflight/index.ts'), import('../diagnostics/rules.ts')])
  const files = await preflight(config, config.print.preset, out, cwd)
  return { ...result, files: [...result.files, ...files], errors: result.errors + countErrors(files) }
}
