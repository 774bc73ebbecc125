/**
 * @module The function contract (DESIGN §3). Every file under functions/ default-exports one of these
 * definitions; the app, the CLI and cron find them by scanning and call `run` in-process.
 */
import type { Context } from './context.ts'

export type Status = 'ok' | 'skipped' | 'needs_auth' | 'failed'
export type Severity = 'low' | 'medium' | 'high'
export type StepKind = 'extract' | 'clean' | 'load'
export const STEP_KINDS: readonly StepKind[] = ['extract', 'clean', 'load']

/** What a step reports. Functions never throw across this boundary. */
export interface StepResult {
  status: Status
  severity?: Severity
  filesIn: number
  filesOut: number
  rowsIn: number
  rowsOut: number
  rowsQuarantined: number
  message?: string
  startedAt: string
  finishedAt: string
}

/** What a step body returns: counts default to 0, timings are filled in by the wrapper. */
export type Outcome = Partial<Omit<StepResult, 'startedAt' | 'finishedAt'>> & { status: Status }

/** An imported file: in memory (HTTP) or on disk (CLI). */
export interface ContentInput {
  path?: string
  bytes?: Uint8Array
}

export interface StepDefinition {
  kind: StepKind
  source: string
  description: string
  /** Cleaners: which landing dataset a file with this head belongs to (imports classify by content). */
  classify?: (head: string) => string | null
  /** Cleaners: the extraction time of an imported file without a stamp, from its content (null: none). */
  extractedAtFromContent?: (dataset: string, input: ContentInput) => Promise<Date | null>
  run(ctx: Context): Promise<StepResult>
}

interface StepSpec {
  source: string
  description: string
  classify?: (head: string) => string | null
  extractedAtFromContent?: (dataset: string, input: ContentInput) => Promise<Date | null>
  run(ctx: Context): Promise<Outcome>
}

function defineStep(kind: StepKind, spec: StepSpec): StepDefinition {
  return {
    kind,
    source: spec.source,
    description: spec.description,
    classify: spec.classify,
    extractedAtFromContent: spec.extractedAtFromContent,
    async run(ctx) {
      const startedAt = new Date().toISOString()
      let outcome: Outcome
      try {
        outcome = await spec.run(ctx)
      } catch (err) {
        // An exception here is a bug or an unclassified failure: report it, never crash the run.
        const message = err instanceof Error ? err.message : String(err)
        ctx.log.error({ err, source: spec.source, step: kind }, `${spec.source}/${kind} threw`)
        outcome = { status: 'failed', severity: 'high', message }
      }
      return {
        filesIn: 0,
        filesOut: 0,
        rowsIn: 0,
        rowsOut: 0,
        rowsQuarantined: 0,
        ...outcome,
        startedAt,
        finishedAt: new Date().toISOString(),
      }
    },
  }
}

export const defineExtractor = (spec: StepSpec) => defineStep('extract', spec)
export const defineCleaner = (spec: StepSpec) => defineStep('clean', spec)
export const defineLoader = (spec: StepSpec) => defineStep('load', spec)
export { defineKpi } from './kpi/define.ts'
