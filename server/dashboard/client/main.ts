import { api } from './api.ts'
import { renderConnect } from './connect-view.ts'
import { createControlsView } from './controls-view.ts'
import { byId } from './dom.ts'
import { createFlowsView } from './flows-view.ts'
import { createJournalView } from './journal-view.ts'
import { createThrottleView } from './throttle-view.ts'
import type { JournalEntry, Overview } from './types.ts'

/**
 * The dashboard: one overview fetch renders tenants, flows and identities; the journal arrives
 * live over server-sent events; every change (a request, a control call) refreshes the rest,
 * at most a few times a second.
 */
const journal = createJournalView()
const throttle = createThrottleView()
const message = byId('control-message')
const say = (text: string) => (message.textContent = text)
const flows = createFlowsView(byId('tenant-tabs'), byId('tenant-view'), {
  setState: (tenant, environment, flow, action) => {
    if (!tenant.admin) return
    api.setFlowState(tenant.id, tenant.admin, environment.name, flow.name, action).then(
      () => say(`${flow.displayName}: ${action === 'stop' ? 'disabled' : 'enabled'} as ${tenant.admin}.`),
      (error: Error) => say(`Failed: ${error.message}`),
    )
  },
})
const controls = createControlsView(() => refresh(), say)

let overview: Overview | undefined

async function refresh(): Promise<void> {
  const [next, throttling, faults, clock] = await Promise.all([
    api.overview(),
    api.throttling(),
    api.faults(),
    api.clock(),
  ])
  overview = next
  const focusKey = (document.activeElement as HTMLElement | null)?.getAttribute('aria-controls')
  flows.render(next.tenants)
  if (focusKey) document.querySelector<HTMLElement>(`[aria-controls="${CSS.escape(focusKey)}"]`)?.focus()
  controls.render(next.tenants, faults.value)
  throttle.render(
    throttling,
    next.tenants.flatMap((t) => t.connections.map((c) => c.id)),
  )
  const clockElement = byId('clock')
  clockElement.textContent = new Date(clock.now).toLocaleString()
  clockElement.setAttribute('datetime', clock.now)
  clockElement.title = `${clock.now} (${clock.mode})`
  renderConnect(byId('connect-view'), next, location.origin)
  const note = byId('journal-note')
  note.hidden = next.journal.enabled
  note.textContent = 'The journal is off (--journal-size 0): requests are not recorded.'
}

/** Changes come in bursts (a load test, a reset): refresh once they settle, and at least every 300 ms. */
let timer: ReturnType<typeof setTimeout> | undefined
function refreshSoon(): void {
  timer ??= setTimeout(() => {
    timer = undefined
    refresh().catch((error: Error) => say(`Refresh failed: ${error.message}`))
  }, 300)
}

async function reloadJournal(): Promise<void> {
  journal.load((await api.journal()).value)
}

function connectLive(): void {
  const status = byId('live-status')
  const events = new EventSource('/_emulator/events')
  events.addEventListener('open', () => {
    status.textContent = 'live'
    status.classList.add('live')
    // Whatever happened while the stream was down is fetched again.
    void reloadJournal()
    refreshSoon()
  })
  events.addEventListener('error', () => {
    status.textContent = 'reconnecting…'
    status.classList.remove('live')
  })
  events.addEventListener('request', (event) => {
    journal.add(JSON.parse((event as MessageEvent<string>).data) as JournalEntry)
    refreshSoon()
  })
  events.addEventListener('control', (event) => {
    const change = JSON.parse((event as MessageEvent<string>).data) as { path: string }
    if (change.path.startsWith('/_emulator/reset') || change.path.startsWith('/_emulator/requests')) {
      void reloadJournal()
    }
    refreshSoon()
  })
  events.addEventListener('gap', () => void reloadJournal())
}

function largeTypeToggle(): void {
  const button = byId('large-type')
  const apply = (on: boolean) => {
    document.documentElement.classList.toggle('large', on)
    button.setAttribute('aria-pressed', String(on))
    localStorage.setItem('paae-large-type', on ? '1' : '0')
  }
  apply(localStorage.getItem('paae-large-type') === '1')
  button.addEventListener('click', () => apply(!document.documentElement.classList.contains('large')))
}

largeTypeToggle()
// The throttle meters drain with time even when nothing happens.
setInterval(() => {
  if (overview) refreshSoon()
}, 2000)
refresh().then(connectLive, (error: Error) => say(`Could not load: ${error.message}`))
