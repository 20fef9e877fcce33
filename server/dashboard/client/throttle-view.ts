import { byId, h, named, timeText } from './dom.ts'
import type { Names } from './names.ts'
import type { Throttling } from '../../../schemas/control.ts'

/** One meter per connection: calls in the window out of the limit, when the window frees a call, the last 429. */
export function createThrottleView() {
  const settings = byId('throttle-settings')
  const list = byId('throttle-meters')

  return {
    render(throttling: Throttling, knownConnections: string[], names: Names): void {
      settings.textContent = throttling.enabled
        ? `${throttling.limit} calls per ${throttling.windowSeconds} s per connection${throttling.countRejected ? ', rejected calls count' : ''}. On the Flow API, where there is no connection, each caller (user and app) has its own window.`
        : 'Throttling is off.'
      const usage = new Map(throttling.connections.map((c) => [c.connection, c]))
      const keys = [...new Set([...knownConnections, ...usage.keys()])]
      if (keys.length === 0) {
        list.replaceChildren(h('li', { class: 'empty' }, 'No connection has made a call yet.'))
        return
      }
      const label = (key: string) => names.connection(key) ?? key
      keys.sort((a, b) => label(a).localeCompare(label(b)))
      list.replaceChildren(
        ...keys.map((key) => {
          const u = usage.get(key)
          const used = u?.used ?? 0
          const name = label(key)
          const full = u !== undefined && u.remaining === 0
          return h(
            'li',
            { 'data-connection': key, class: full ? 'full' : undefined },
            h('div', { class: 'meter-name' }, named(name, key, 'connection key')),
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
              'div',
              { class: 'meter-text' },
              h('span', { 'data-testid': 'meter-text' }, `${used} / ${throttling.limit}`),
              u && u.used > 0
                ? h(
                    'span',
                    { 'data-testid': 'meter-frees' },
                    full
                      ? ` · next call allowed in ${u.resetSeconds} s`
                      : ` · a call frees in ${u.resetSeconds} s`,
                  )
                : null,
              u?.lastThrottledAt ? [' · last 429 ', timeText(u.lastThrottledAt)] : null,
            ),
          )
        }),
      )
    },
  }
}
