/**
 * The work a build hands out: parse a chapter with a processor built once
 * per runner, or format a chapter's citation clusters with a citeproc
 * engine built once per citation setup. Tasks and results are plain data,
 * so a runner may live in a worker thread or in the main one.
 */
import { createCiteproc, type CiteCluster, type Citeproc } from '../bibliography/engine.ts'
import type { CiteSetup } from '../bibliography/formatter.ts'
import { parseChapter, type ChapterInput, type ParsedChapter, type Parser } from '../parse/parse-chapter.ts'
import { createParser } from '../parse/processor.ts'


export type Task =
  | { kind: 'parse'; settings: Parameters<typeof createParser>[0]; input: ChapterInput }
  /** Sent to every runner ahead of the `cite` tasks that need it; no result. */
  | { kind: 'cite-setup'; setup: CiteSetup }
  /** One batch for citeproc's own batch. */
  | { kind: 'cite'; clusters: CiteCluster[] }

export type TaskResult<K extends Task['kind']> = K extends 'parse' ? ParsedChapter : K extends 'cite' ? [id: string, html: string][] : undefined

/** A runner with its own processors and engine. */
export function createTaskRunner(): (task: Task) => Promise<unknown> {
  const parsers = new Map<string, Parser>()
  let setup: CiteSetup | undefined
  let engine: Citeproc | undefined
  return async (task) => {
    switch (task.kind) {
      case 'parse': {
        const key = JSON.stringify(task.settings)
        let parser = parsers.get(key)
        if (!parser) parsers.set(key, (parser = createParser(task.settings)))
        return parseChapter(parser, task.input)
      }
      case 'cite-setup':
        setup = task.setup
        engine = undefined
        return undefined
      case 'cite': {
        if (!setup) throw new Error('A citation task reached a runner before its setup')
        engine ??= createCiteproc({ style: setup.style, locale: setup.locale, language: setup.language, references: new Map(setup.items.map(([key, item]) => [key, { item }])) })
        return [...engine.format([task.clusters], { method: 'batch' })[0]!.html]
      }
    }
  }
}
