import { byId, h } from './dom.ts'
import type { FaultRule, JournalEntry, Overview, Throttling } from '../../../schemas/control.ts'

export interface OverviewFigures {
  overview: Overview
  journal: JournalEntry[]
  throttling: Throttling
  faults: FaultRule[]
}

const portOf = (url: string | null) => (url ? new URL(url).port : null)

/** The row of cards on the Overview: one figure each, each a link to its view. */
export function renderOverviewCards({ overview, journal, throttling, faults }: OverviewFigures): void {
  const now = Date.parse(overview.now)
  const lastMinute = journal.filter(
    (e) => now - Date.parse(e.time) <= 60_000 && Date.parse(e.time) <= now + 1000,
  )
  const clientErrors = journal.filter((e) => e.status >= 400 && e.status < 500).length
  const serverErrors = journal.filter((e) => e.status >= 500).length
  const throttled = throttling.connections.filter((c) => c.remaining === 0).length
  const { endpoints } = overview
  const listeners = [
    ['HTTP', portOf(endpoints.httpUrl)],
    ['HTTPS', portOf(endpoints.httpsUrl)],
    ['Proxy', portOf(endpoints.proxyUrl)],
  ].filter((l): l is [string, string] => l[1] !== null)
  const card = (key: string, title: string, figure: string, detail: string, href: string) =>
    h(
      'li',
      { class: 'card', 'data-card': key },
      h(
        'a',
        { href },
        h('span', { class: 'card-title' }, title),
        h('span', { class: 'figure', 'data-testid': `card-${key}` }, figure),
        h('span', { class: 'note' }, detail),
      ),
    )
  byId('overview-cards').replaceChildren(
    card(
      'listeners',
      'Listeners',
      String(listeners.length),
      listeners.map(([name, port]) => `${name} :${port}`).join(' · ') || 'in-process',
      '#/connect',
    ),
    card(
      'tenants',
      'Tenants',
      String(overview.tenants.length),
      overview.tenants.map((t) => t.displayName).join(', ') || 'none',
      '#/environments',
    ),
    card(
      'rate',
      'Requests per minute',
      String(lastMinute.length),
      'in the last 60 s of the clock',
      '#/requests',
    ),
    card(
      'errors',
      '4xx / 5xx',
      `${clientErrors} / ${serverErrors}`,
      `of ${journal.length} journaled`,
      '#/requests',
    ),
    card(
      'throttled',
      'Throttled connections',
      String(throttled),
      throttling.enabled ? `${throttling.limit} calls per ${throttling.windowSeconds} s` : 'throttling off',
      '#/throttling',
    ),
    card(
      'faults',
      'Active fault rules',
      String(faults.length),
      faults.length ? 'injecting errors' : 'none',
      '#/controls',
    ),
  )
}
