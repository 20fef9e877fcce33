/**
 * Contract coverage: which operation answered which status, for each tenant and connection, since
 * start or the last reset, beside the statuses the document gives each operation. A client's test
 * suite reads it to learn which documented answers (a 429, a 404, a 503) it never exercised.
 */

import { normaliseId } from '../../schemas/common.ts'
import { COVERAGE_SURFACES, type CoverageReport } from '../../schemas/control.ts'

export { COVERAGE_SURFACES }
export type CoverageSurface = (typeof COVERAGE_SURFACES)[number]

export interface CoverageHit {
  surface: CoverageSurface
  operationId: string
  status: number
  /** Answered by a fault rule rather than by the emulator's own logic. */
  injected: boolean
  /** A tenant id (or an Entra URL's tenant segment) in its normal spelling (`normaliseId`). */
  tenant: string | null
  connection: string | null
}

export type { CoverageReport }
export type OperationCoverage = CoverageReport['operations'][number]
export type StatusTally = OperationCoverage['seen'][string]

export interface CoverageFilter {
  tenant?: string | undefined
  connection?: string | undefined
}

interface Operation {
  operationId: string
  surface: CoverageSurface
  documented: Set<string>
}

interface Cell extends StatusTally {
  operation: Operation
  status: string
  tenant: string | null
  connection: string | null
}

/** `2026-12-01T10:00:00.0000000Z`: seven fractional digits, as the Flow service writes times. */
function serviceTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$10000Z')
}

const operationKey = (surface: string, operationId: string) => `${surface} ${operationId}`

export function createCoverage(now: () => Date) {
  const operations = new Map<string, Operation>()
  // One cell per operation, status, tenant and connection: bounded by what clients call.
  const cells = new Map<string, Cell>()
  let since = now()

  return {
    /** Declares an operation and the statuses its route documents (called as routes are added). */
    document(surface: CoverageSurface, operationId: string, statuses: readonly string[]): void {
      const key = operationKey(surface, operationId)
      const operation = operations.get(key) ?? { operationId, surface, documented: new Set<string>() }
      for (const status of statuses) operation.documented.add(status)
      operations.set(key, operation)
    },
    record(hit: CoverageHit): void {
      const operation = operations.get(operationKey(hit.surface, hit.operationId))
      if (!operation) return
      const tenant = hit.tenant
      const status = String(hit.status)
      const key = `${operationKey(hit.surface, hit.operationId)} ${status} ${tenant ?? ''} ${hit.connection ?? ''}`
      let cell = cells.get(key)
      if (!cell) {
        cell = { operation, status, tenant, connection: hit.connection, count: 0, injected: 0 }
        cells.set(key, cell)
      }
      cell.count++
      if (hit.injected) cell.injected++
    },
    /** Every documented operation, called or not, with what was seen and what never was. */
    report(filter: CoverageFilter = {}): CoverageReport {
      const tenant = filter.tenant === undefined ? undefined : normaliseId(filter.tenant)
      const seen = new Map<Operation, Record<string, StatusTally>>()
      for (const cell of cells.values()) {
        if (tenant !== undefined && cell.tenant !== tenant) continue
        if (filter.connection !== undefined && cell.connection !== filter.connection) continue
        const tallies = seen.get(cell.operation) ?? {}
        const tally = (tallies[cell.status] ??= { count: 0, injected: 0 })
        tally.count += cell.count
        tally.injected += cell.injected
        seen.set(cell.operation, tallies)
      }
      const byStatus = (a: string, b: string) => a.localeCompare(b)
      return {
        since: serviceTime(since),
        operations: [...operations.values()]
          .sort(
            (a, b) =>
              COVERAGE_SURFACES.indexOf(a.surface) - COVERAGE_SURFACES.indexOf(b.surface) ||
              a.operationId.localeCompare(b.operationId),
          )
          .map((operation) => {
            const tallies = seen.get(operation) ?? {}
            const ordered = Object.fromEntries(
              Object.keys(tallies)
                .sort(byStatus)
                .map((status) => [status, tallies[status]!]),
            )
            return {
              operationId: operation.operationId,
              surface: operation.surface,
              seen: ordered,
              neverSeen: [...operation.documented].filter((s) => !(s in tallies)).sort(byStatus),
            }
          }),
      }
    },
    /** Forgets everything (a full reset, which also restarts `since`), or one tenant's counts (its id as stored). */
    clear(tenant?: string): void {
      if (tenant === undefined) {
        cells.clear()
        since = now()
        return
      }
      for (const [key, cell] of cells) if (cell.tenant === tenant) cells.delete(key)
    },
  }
}
export type Coverage = ReturnType<typeof createCoverage>

/** The report as Markdown: a line per operation, seen statuses with counts, then those never seen. */
export function coverageMarkdown(report: CoverageReport): string {
  const lines = [
    '# Contract coverage',
    '',
    `Since ${report.since}.`,
    '',
    '| Surface | Operation | Seen (count, injected) | Never seen |',
    '| --- | --- | --- | --- |',
  ]
  for (const op of report.operations) {
    const seen = Object.entries(op.seen)
      .map(([status, t]) => `${status} ×${t.count}${t.injected ? ` (${t.injected} injected)` : ''}`)
      .join(', ')
    lines.push(`| ${op.surface} | ${op.operationId} | ${seen || '–'} | ${op.neverSeen.join(', ') || '–'} |`)
  }
  return `${lines.join('\n')}\n`
}

/** What `--coverage-report` writes: Markdown for a `.md` file, JSON otherwise. */
export function coverageFile(path: string, report: CoverageReport): string {
  return path.toLowerCase().endsWith('.md') ? coverageMarkdown(report) : `${JSON.stringify(report, null, 2)}\n`
}
