import { api } from './api.ts'
import { renderConnect } from './connect-view.ts'
import { createControlsView } from './controls-view.ts'
import { renderCoverage } from './coverage-view.ts'
import { byId, h, toast } from './dom.ts'
import { renderEnvironments } from './environments-view.ts'
import { setUpFlyout } from './flyout.ts'
import { createFlowsView, type FlowCommand } from './flows-view.ts'
import { createJournalView } from './journal-view.ts'
import { createNames, type Names } from './names.ts'
import { renderOverviewCards } from './overview-view.ts'
import { createThrottleView } from './throttle-view.ts'
import type { Environment, Flow, JournalEntry, Overview, Tenant } from '../../../schemas/control.ts'

/**
 * The dashboard: one overview fetch renders tenants, flows and identities; the journal arrives
 * live over server-sent events; every change (a request, a control call) refreshes the rest,
 * at most a few times a second. One view at a time, chosen by the rail (the URL's hash).
 */
const VIEWS = [
  'overview',
  'environments',
  'flows',
  'requests',
  'throttling',
  'coverage',
  'controls',
  'connect',
]
const TITLES: Record<string, string> = {
  overview: 'Overview',
  environments: 'Environments',
  flows: 'Flows',
  requests: 'Requests',
  throttling: 'Throttling',
  coverage: 'Coverage',
  controls: 'Controls',
  connect: 'Connect',
}

let overview: Overview | undefined
let names: Names = createNames(undefined)
const tenantPicker = byId<HTMLSelectElement>('tenant-picker')
const environmentPicker = byId<HTMLSelectElement>('environment-picker')

const currentTenant = (): Tenant | undefined => overview?.tenants.find((t) => t.id === tenantPicker.value)
const currentEnvironment = (): Environment | undefined =>
  currentTenant()?.environments.find((e) => e.name === environmentPicker.value)

/** The listener a journaled request came in on: HTTPS when its host is the HTTPS listener's. */
const schemeOf = (host: string): 'http' | 'https' =>
  overview?.endpoints.httpsUrl && new URL(overview.endpoints.httpsUrl).host === host ? 'https' : 'http'

const journal = createJournalView({
  names: () => names,
  tenant: currentTenant,
  schemeOf,
  version: () => overview?.version ?? '',
  clear: async () => {
    await api.clearJournal()
  },
})
const throttle = createThrottleView()

const COMMAND_TEXT: Record<FlowCommand, [method: string, tail: string, done: string]> = {
  start: ['POST', 'start', 'turned on'],
  stop: ['POST', 'stop', 'turned off'],
  delete: ['DELETE', '', 'deleted'],
  restore: ['POST', 'restore', 'restored'],
}

const flows = createFlowsView({
  names: () => names,
  run(tenant, env, list, command, anchor) {
    const admin = tenant.admin
    if (!admin) return
    const [method, tail, done] = COMMAND_TEXT[command]
    const path = (f: Flow) => `${encodeURIComponent(f.name)}${tail ? `/${tail}` : ''}`
    Promise.all(list.map((f) => api.asAdmin(tenant.id, admin, method, env.name, path(f)))).then(
      () =>
        toast(
          `${list.length === 1 ? list[0]!.displayName : `${list.length} flows`} ${done} as ${admin}.`,
          anchor,
        ),
      (error: Error) => toast(`Failed: ${error.message}`, anchor, 'error'),
    )
  },
  share(tenant, env, flow, change, anchor) {
    const admin = tenant.admin
    if (!admin) return
    const body = change.put
      ? {
          put: [
            {
              properties: {
                principal: { id: change.put.id, type: change.put.type },
                roleName: change.put.role,
              },
            },
          ],
        }
      : { delete: [{ id: change.remove }] }
    const who = names.principal(change.put?.id ?? change.remove ?? null)
    api
      .asAdmin(tenant.id, admin, 'POST', env.name, `${encodeURIComponent(flow.name)}/modifyPermissions`, body)
      .then(
        () => {
          toast(change.put ? `${who}: ${change.put.role} granted.` : `${who} removed.`, anchor)
          refreshSoon()
        },
        (error: Error) => toast(`Failed: ${error.message}`, anchor, 'error'),
      )
  },
})
const controls = createControlsView(() => refresh())

/** The breadcrumb's pickers: kept on the same tenant and environment across refreshes. */
function renderPickers(): void {
  const tenants = overview?.tenants ?? []
  const tenant = tenantPicker.value
  tenantPicker.replaceChildren(...tenants.map((t) => h('option', { value: t.id }, t.displayName)))
  tenantPicker.value = tenants.some((t) => t.id === tenant) ? tenant : (tenants[0]?.id ?? '')
  const envs = currentTenant()?.environments ?? []
  const env = environmentPicker.value
  environmentPicker.replaceChildren(...envs.map((e) => h('option', { value: e.name }, e.displayName)))
  environmentPicker.value = envs.some((e) => e.name === env)
    ? env
    : (envs.find((e) => e.isDefault)?.name ?? envs[0]?.name ?? '')
}

let throttling: Awaited<ReturnType<typeof api.throttling>> | undefined
let traffic: Awaited<ReturnType<typeof api.traffic>> | undefined
let faults: Awaited<ReturnType<typeof api.faults>>['value'] = []

function renderAll(): void {
  if (!overview || !throttling || !traffic) return
  renderPickers()
  const tenant = currentTenant()
  flows.render(tenant, currentEnvironment())
  renderEnvironments(tenant, (env) => {
    environmentPicker.value = env.name
    location.hash = '#/flows'
    renderAll()
  })
  controls.render(overview.tenants, faults)
  throttle.render(
    throttling,
    overview.tenants.flatMap((t) => t.connections.map((c) => c.id)),
    names,
  )
  renderOverviewCards({ overview, traffic, throttling, faults })
  renderConnect(byId('connect-view'), overview, location.origin)
  journal.render()
  const note = byId('journal-note')
  note.hidden = overview.journal.enabled
  note.textContent = 'The journal is off (--journal-size 0): requests are not recorded.'
}

async function refresh(): Promise<void> {
  const [next, nextThrottling, nextTraffic, nextFaults, clock] = await Promise.all([
    api.overview(),
    api.throttling(),
    api.traffic(),
    api.faults(),
    api.clock(),
  ])
  overview = next
  names = createNames(next)
  throttling = nextThrottling
  traffic = nextTraffic
  faults = nextFaults.value
  renderAll()
  const clockElement = byId('clock')
  clockElement.textContent = new Date(clock.now).toLocaleString()
  clockElement.setAttribute('datetime', clock.now)
  clockElement.title = `Emulator clock: ${clock.now} (${clock.mode})`
  if (currentView() === 'coverage') await refreshCoverage()
}

async function refreshCoverage(): Promise<void> {
  renderCoverage(await api.coverage().catch((error: Error) => error))
}

/** Changes come in bursts (a load test, a reset): refresh once they settle, and at least every 300 ms. */
let timer: ReturnType<typeof setTimeout> | undefined
function refreshSoon(): void {
  timer ??= setTimeout(() => {
    timer = undefined
    refresh().catch((error: Error) => toast(`Refresh failed: ${error.message}`, null, 'error'))
  }, 300)
}

async function reloadJournal(): Promise<void> {
  journal.load((await api.journal()).value)
}

function connectLive(): void {
  const status = byId('live-status')
  const events = new EventSource('/_emulator/events')
  events.addEventListener('open', () => {
    status.textContent = 'Live'
    status.classList.add('live')
    // Whatever happened while the stream was down is fetched again.
    void reloadJournal()
    refreshSoon()
  })
  events.addEventListener('error', () => {
    status.textContent = 'Reconnecting…'
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

function currentView(): string {
  const name = location.hash.replace(/^#\/?/, '')
  return VIEWS.includes(name) ? name : 'overview'
}

/** Shows the view the hash names; the rail marks it, the breadcrumb ends with it. */
function route(): void {
  const view = currentView()
  for (const name of VIEWS) byId(name).hidden = name !== view
  for (const link of byId('rail').querySelectorAll('a')) {
    if (link.getAttribute('href') === `#/${view}`) link.setAttribute('aria-current', 'page')
    else link.removeAttribute('aria-current')
  }
  byId('crumb-view').textContent = TITLES[view] ?? view
  document.title = `${TITLES[view]} · Power Automate admin emulator`
  closeMenu()
  // A confirmation belongs to the view it was made in.
  byId('toasts').replaceChildren()
  if (view === 'coverage') void refreshCoverage()
}

const menu = byId('menu')
function closeMenu(): void {
  menu.setAttribute('aria-expanded', 'false')
  byId('rail').classList.remove('open')
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
setUpFlyout()
menu.addEventListener('click', () => {
  const open = menu.getAttribute('aria-expanded') !== 'true'
  menu.setAttribute('aria-expanded', String(open))
  byId('rail').classList.toggle('open', open)
})
tenantPicker.addEventListener('change', () => {
  environmentPicker.value = ''
  renderAll()
})
environmentPicker.addEventListener('change', renderAll)
addEventListener('hashchange', route)
route()
// The throttle meters drain with time even when nothing happens.
setInterval(() => {
  if (overview) refreshSoon()
}, 2000)
refresh().then(connectLive, (error: Error) => toast(`Could not load: ${error.message}`, null, 'error'))
