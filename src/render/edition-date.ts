/** One date for every edition, so two builds of the same manuscript give the same bytes. */
import type { ResolvedConfig } from '../config/schema.ts'

/**
 * The instant every edition says it was made (the EPUB's `dcterms:modified`
 * and its files' timestamps, the PDF's dates): book.yaml's `date`, else `SOURCE_DATE_EPOCH`, else the start
 * of the current UTC day (the same bytes for every build of that day).
 */
export function editionDate(config: Pick<ResolvedConfig, 'date'>, env: NodeJS.ProcessEnv = process.env, now = new Date()): Date {
  if (config.date) {
    const [year, month = '01', day = '01'] = config.date.split('-')
    return new Date(`${year}-${month}-${day}T00:00:00Z`)
  }
  const epoch = env.SOURCE_DATE_EPOCH
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000)
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))
}
