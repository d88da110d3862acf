/**
 * Build progress for people: on a terminal, one live status line (stage,
 * chapter, elapsed time); elsewhere, or with CI set, one plain line per step.
 */
import type { ProgressEvent } from '../build.ts'

export interface ProgressReporter {
  onProgress(event: ProgressEvent): void
  /** Clear the live line before other output. */
  done(): void
}

/** A reporter suited to `stream`: live on a TTY, plain lines otherwise, silent when quiet. */
export function createProgress(stream: NodeJS.WriteStream, options: { quiet?: boolean; env?: NodeJS.ProcessEnv } = {}): ProgressReporter {
  if (options.quiet) return { onProgress() {}, done() {} }
  const env = options.env ?? process.env
  const live = Boolean(stream.isTTY) && !env.CI && env.TERM !== 'dumb'
  const start = performance.now()
  const elapsed = () => `${((performance.now() - start) / 1000).toFixed(1)}s`
  if (!live) {
    return {
      onProgress(event) {
        if (event.stage === 'parse' && event.ms === undefined) return // one line per chapter is noise in logs
        const what = event.detail ? ` ${event.detail}` : ''
        const took = event.ms === undefined ? '' : ` (${Math.round(event.ms)} ms)`
        stream.write(`quire: ${event.stage}${what}${took}\n`)
      },
      done() {},
    }
  }
  let shown = false
  return {
    onProgress(event) {
      const what = event.detail ? ` ${event.detail}` : ''
      stream.write(`\r\x1b[K${elapsed()} ${event.stage}${what}`.slice(0, (stream.columns || 80) + 4))
      shown = true
    },
    done() {
      if (shown) stream.write('\r\x1b[K')
      shown = false
    },
  }
}
