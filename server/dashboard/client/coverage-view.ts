import { byId, h } from './dom.ts'
import type { CoverageReport } from '../../../schemas/control.ts'

const statusClass = (status: string) => (status === '429' ? 's429' : `s${status[0]}xx`)

/** The Coverage view: per operation, the statuses seen (and how many were injected) and those never seen. */
export function renderCoverage(coverage: CoverageReport | Error): void {
  const container = byId('coverage-view')
  if (coverage instanceof Error) {
    container.replaceChildren(h('p', { class: 'empty' }, `Coverage is not available: ${coverage.message}`))
    return
  }
  const seenAll = coverage.operations.filter((o) => o.neverSeen.length === 0).length
  container.replaceChildren(
    h(
      'p',
      { 'data-testid': 'coverage-summary' },
      `${seenAll} of ${coverage.operations.length} operations have answered every status they document, since `,
      h(
        'time',
        { datetime: coverage.since, title: coverage.since },
        new Date(coverage.since).toLocaleString(),
      ),
      '.',
    ),
    h(
      'table',
      { class: 'responsive', 'aria-label': 'Contract coverage' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'Operation'),
          h('th', {}, 'Surface'),
          h('th', {}, 'Seen'),
          h('th', {}, 'Never seen'),
        ),
      ),
      h(
        'tbody',
        {},
        coverage.operations.map((o) =>
          h(
            'tr',
            { 'data-operation': o.operationId, 'data-surface': o.surface },
            h('td', { 'data-label': 'Operation', class: 'title' }, o.operationId),
            h('td', { 'data-label': 'Surface' }, o.surface),
            h(
              'td',
              { 'data-label': 'Seen' },
              Object.entries(o.seen).map(([status, s]) =>
                h(
                  'span',
                  {
                    class: `badge ${statusClass(status)}`,
                    title: `${s.count} answered, ${s.injected} of them by a fault rule`,
                  },
                  `${status} ×${s.count}${s.injected ? ` (${s.injected} injected)` : ''}`,
                ),
              ),
              Object.keys(o.seen).length === 0 ? h('span', { class: 'note' }, 'not called') : null,
            ),
            h(
              'td',
              { 'data-label': 'Never seen' },
              o.neverSeen.length === 0
                ? h('span', { class: 'note' }, 'all seen')
                : o.neverSeen.map((status) => h('span', { class: 'badge muted' }, status)),
            ),
          ),
        ),
      ),
    ),
  )
}
