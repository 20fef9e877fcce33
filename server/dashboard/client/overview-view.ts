import { byId, h } from './dom.ts'
import type { FaultRule, Overview, Throttling, Traffic } from '../../../schemas/control.ts'

export interface OverviewFigures {
  overview: Overview
  traffic: Traffic
  throttling: Throttling
  faults: FaultRule[]
}

const portOf = (url: string | null) => (url ? new URL(url).port : null)

/** The row of cards on the Overview: one figure each, each a link to its view. */
export function renderOverviewCards({ overview, traffic, throttling, faults }: OverviewFigures): void {
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
      String(traffic.requestsPerMinute),
      'in the last 60 s of the emulator clock',
      '#/requests',
    ),
    card(
      'errors',
      '4xx / 5xx',
      `${traffic.clientErrors} / ${traffic.serverErrors}`,
      `of ${traffic.requests} since ${new Date(traffic.since).toLocaleTimeString()}`,
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
