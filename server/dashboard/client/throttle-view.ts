import { byId, h, timeText } from './dom.ts'
import type { Throttling } from './types.ts'

/** One meter per connection: calls in the current window out of the limit, and the last 429. */
export function createThrottleView() {
  const settings = byId('throttle-settings')
  const list = byId('throttle-meters')

  return {
    render(throttling: Throttling, knownConnections: string[]): void {
      settings.textContent = throttling.enabled
        ? `${throttling.limit} calls per ${throttling.windowSeconds} s per connection${throttling.countRejected ? ', rejected calls count' : ''}.`
        : 'Throttling is off.'
      const usage = new Map(throttling.connections.map((c) => [c.connection, c]))
      const names = [...new Set([...knownConnections, ...usage.keys()])].sort()
      if (names.length === 0) {
        list.replaceChildren(h('li', { class: 'note' }, 'No connection has made a call yet.'))
        return
      }
      list.replaceChildren(
        ...names.map((name) => {
          const u = usage.get(name)
          const used = u?.used ?? 0
          return h(
            'li',
            { 'data-connection': name },
            h('span', { class: 'mono' }, name),
            h('meter', {
              min: 0,
              max: throttling.limit,
              low: Math.floor(throttling.limit * 0.7),
              high: Math.floor(throttling.limit * 0.9),
              optimum: 0,
              value: Math.min(used, throttling.limit),
              'aria-label': `${name}: ${used} of ${throttling.limit} calls`,
            }),
            h(
              'span',
              {},
              h('span', { 'data-testid': 'meter-text' }, `${used} / ${throttling.limit}`),
              u?.lastThrottledAt ? [' · last 429 ', timeText(u.lastThrottledAt)] : null,
              u && u.used > 0 ? ` · resets in ${u.resetSeconds} s` : null,
            ),
          )
        }),
      )
    },
  }
}
