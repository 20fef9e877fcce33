import { byId, h, named, rovingFocus, toast } from './dom.ts'
import { closeFlyout, flyoutKey, openFlyout } from './flyout.ts'
import { toCurl, toHar, type SchemeOf } from './har.ts'
import type { Names } from './names.ts'
import type { JournalEntry } from '../../../schemas/control.ts'

const KEPT = 500

/** The status chips: one filter at a time. */
const CHIPS: [label: string, test: (status: number) => boolean][] = [
  ['All', () => true],
  ['2xx', (s) => s < 300],
  ['4xx', (s) => s >= 400 && s < 500],
  ['429', (s) => s === 429],
  ['5xx', (s) => s >= 500],
]

const statusClass = (status: number) => (status === 429 ? 's429' : `s${Math.floor(status / 100)}xx`)

function prettyBody(body: string | null): string {
  if (body === null) return '(none)'
  try {
    return JSON.stringify(JSON.parse(body), null, 2)
  } catch {
    return body
  }
}

const headerTable = (label: string, headers: Record<string, string>) =>
  h(
    'table',
    { class: 'headers', 'aria-label': label },
    h(
      'tbody',
      {},
      Object.entries(headers)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, value]) =>
          h('tr', {}, h('th', { scope: 'row' }, name), h('td', { class: 'mono' }, value)),
        ),
    ),
  )

export interface JournalContext {
  names(): Names
  /** The tenant picked in the breadcrumb: its id and display name. */
  tenant(): { id: string; displayName: string } | undefined
  schemeOf: SchemeOf
  version(): string
  /** Clears the journal on the server. */
  clear(): Promise<void>
}

/**
 * The Requests view: the picked tenant's requests newest first, searchable, a status chip, each
 * request's details in a side panel.
 */
export function createJournalView(context: JournalContext) {
  const table = byId<HTMLTableElement>('journal-table')
  const body = table.tBodies[0]!
  const empty = byId('journal-empty')
  const scope = byId('journal-scope')
  const search = byId<HTMLInputElement>('journal-search')
  const chips = byId('status-chips')
  let entries: JournalEntry[] = []
  let chip = 0
  const fresh = new Set<string>()
  let selected: string | undefined

  const callerOf = (e: JournalEntry) =>
    context.names().caller(e.principal, e.client) ?? context.names().connection(e.connection)

  /** The request and response panes, as tabs with arrow keys between them. */
  const detailTabs = (entry: JournalEntry) => {
    const panes = [
      {
        name: 'Request',
        body: [
          headerTable('Request headers', entry.requestHeaders),
          h('h3', {}, 'Body', entry.requestBodyTruncated ? ' (cut at the journal limit)' : ''),
          h('pre', { tabindex: 0, 'data-testid': 'request-body' }, prettyBody(entry.requestBody)),
        ],
      },
      {
        name: 'Response',
        body: [
          headerTable('Response headers', entry.responseHeaders),
          h('h3', {}, 'Body', entry.responseBodyTruncated ? ' (cut at the journal limit)' : ''),
          h('pre', { tabindex: 0, 'data-testid': 'response-body' }, prettyBody(entry.responseBody)),
        ],
      },
    ]
    const list = h('div', { role: 'tablist', class: 'tabs', 'aria-label': 'Request and response' })
    const panels = panes.map((pane, i) =>
      h(
        'div',
        { role: 'tabpanel', id: `pane-${i}`, 'aria-labelledby': `pane-tab-${i}`, hidden: i !== 0 },
        ...pane.body,
      ),
    )
    const tabs = panes.map((pane, i) =>
      h(
        'button',
        {
          type: 'button',
          role: 'tab',
          id: `pane-tab-${i}`,
          'aria-controls': `pane-${i}`,
          'aria-selected': String(i === 0),
          tabindex: i === 0 ? 0 : -1,
        },
        pane.name,
      ),
    )
    const select = (at: number) => {
      for (const [i, tab] of tabs.entries()) {
        tab.setAttribute('aria-selected', String(i === at))
        tab.tabIndex = i === at ? 0 : -1
        panels[i]!.hidden = i !== at
      }
    }
    for (const [i, tab] of tabs.entries()) {
      tab.addEventListener('click', () => select(i))
      tab.addEventListener('focus', () => select(i))
    }
    list.append(...tabs)
    rovingFocus(list, '[role=tab]', ['ArrowLeft', 'ArrowRight'])
    return [list, ...panels]
  }

  const show = (entry: JournalEntry) => {
    selected = entry.id
    const names = context.names()
    const curl = toCurl(entry, context.schemeOf)
    const copy = h('button', { type: 'button', 'data-testid': 'copy-curl' }, 'Copy as curl')
    copy.addEventListener('click', () => {
      void navigator.clipboard?.writeText(curl).then(
        () => toast('Copied the request as curl.', copy),
        () => toast('Copy failed: select the command below.', copy, 'error'),
      )
    })
    const kv = (label: string, value: Node | string) => [h('dt', {}, label), h('dd', {}, value)]
    openFlyout(
      `request:${entry.id}`,
      `${entry.method} ${entry.operationId ?? entry.path.split('?')[0]}`,
      h(
        'div',
        { class: 'flyout-summary', 'data-testid': 'request-details' },
        h('span', { class: `badge ${statusClass(entry.status)}` }, entry.status),
        ` ${entry.durationMs} ms · `,
        h('time', { datetime: entry.time, title: entry.time }, new Date(entry.time).toLocaleString()),
        h(
          'dl',
          { class: 'kv' },
          kv('Caller', callerOf(entry) ?? 'anonymous'),
          entry.principal
            ? kv('Principal', named(names.principal(entry.principal)!, entry.principal, 'object id'))
            : [],
          entry.tenant ? kv('Tenant', named(names.tenant(entry.tenant)!, entry.tenant, 'tenant id')) : [],
          entry.connection
            ? kv('Connection', named(names.connection(entry.connection)!, entry.connection, 'connection'))
            : [],
          kv('URL', h('span', { class: 'mono wrap' }, `${entry.host}${entry.path}`)),
          kv('Request id', named(entry.id, entry.id, 'request id')),
        ),
        h('div', { class: 'buttons' }, copy),
        h('pre', { class: 'curl', tabindex: 0, 'data-testid': 'curl' }, curl),
        ...detailTabs(entry),
      ),
    )
    render()
  }

  const row = (entry: JournalEntry, first: boolean) => {
    const open = () => show(entry)
    const caller = callerOf(entry)
    return h(
      'tr',
      {
        tabindex: first ? 0 : -1,
        'data-id': entry.id,
        'data-status': entry.status,
        'data-operation': entry.operationId ?? '',
        class: fresh.has(entry.id) ? 'fresh' : undefined,
        'aria-selected': String(entry.id === selected),
        onclick: open,
        onkeydown: (event: Event) => {
          const key = (event as KeyboardEvent).key
          if (key === 'Enter' || key === ' ') {
            event.preventDefault()
            open()
          }
        },
      },
      h('td', { 'data-label': 'Time', class: 'time' }, new Date(entry.time).toLocaleTimeString()),
      h(
        'td',
        { 'data-label': 'Operation', class: 'title' },
        h('span', { class: 'method' }, entry.method),
        ' ',
        entry.operationId ?? h('span', { class: 'mono wrap' }, entry.path.split('?')[0] ?? ''),
      ),
      h('td', { 'data-label': 'Caller', class: 'caller' }, caller ?? 'anonymous'),
      h(
        'td',
        { 'data-label': 'Status' },
        h('span', { class: `badge ${statusClass(entry.status)}` }, entry.status),
      ),
      h('td', { 'data-label': 'ms', class: 'num' }, `${entry.durationMs} ms`),
    )
  }

  const matches = (e: JournalEntry, words: string[]) => {
    if (!CHIPS[chip]![1](e.status)) return false
    if (words.length === 0) return true
    const text = [e.method, e.path, e.operationId, e.status, callerOf(e), e.surface, e.id]
      .join(' ')
      .toLowerCase()
    return words.every((w) => text.includes(w))
  }

  /**
   * The picked tenant's requests, and those no known tenant is named in (anonymous, or Entra's
   * `common`): hiding those would hide the failures a user is looking for.
   */
  const ofTenant = (e: JournalEntry) => {
    const owner = context.names().tenantId(e.tenant)
    return owner === undefined || owner === context.tenant()?.id
  }

  const shown = () => {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean)
    return entries.filter((e) => ofTenant(e) && matches(e, words))
  }

  const renderScope = () => {
    const tenant = context.tenant()
    const elsewhere = entries.filter((e) => !ofTenant(e)).length
    scope.textContent = tenant
      ? `${tenant.displayName}'s requests, and those of no known tenant.${
          elsewhere ? ` ${elsewhere} of other tenants hidden: pick their tenant above.` : ''
        }`
      : ''
  }

  function render(): void {
    const list = shown()
    renderScope()
    const focused = (document.activeElement as HTMLElement | null)?.dataset['id']
    body.replaceChildren(...list.map((e, i) => row(e, focused ? e.id === focused : i === 0)))
    if (focused) body.querySelector<HTMLElement>(`tr[data-id="${CSS.escape(focused)}"]`)?.focus()
    table.hidden = list.length === 0
    empty.hidden = list.length > 0
    empty.textContent =
      entries.length === 0
        ? 'No requests yet. Call the API (see Connect) and each request shows here as it happens.'
        : entries.some(ofTenant)
          ? 'No request matches the search and status.'
          : `No requests of ${context.tenant()?.displayName ?? 'this tenant'} yet.`
  }

  const renderChips = () =>
    chips.replaceChildren(
      ...CHIPS.map(([label], i) =>
        h(
          'button',
          {
            type: 'button',
            class: 'chip',
            'aria-pressed': String(i === chip),
            onclick: () => {
              chip = i
              renderChips()
              render()
            },
          },
          label,
        ),
      ),
    )

  renderChips()
  search.addEventListener('input', render)
  rovingFocus(body, 'tr', ['ArrowUp', 'ArrowDown'])
  const clearButton = byId('journal-clear')
  clearButton.addEventListener('click', () => {
    context.clear().then(
      () => toast('Journal cleared.', clearButton),
      (error: Error) => toast(`Clear failed: ${error.message}`, clearButton, 'error'),
    )
  })
  const exportButton = byId('journal-export')
  exportButton.addEventListener('click', () => {
    const list = shown()
    const har = JSON.stringify(toHar(list, context.schemeOf, context.version()), null, 2)
    const link = h('a', {
      href: URL.createObjectURL(new Blob([har], { type: 'application/json' })),
      download: `emulator-requests-${new Date().toISOString().replaceAll(':', '-')}.har`,
    })
    link.click()
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000)
    toast(`Exported ${list.length} request${list.length === 1 ? '' : 's'} as HAR.`, exportButton)
  })

  // A burst of requests renders once per frame, not once per request.
  let pending = false
  const schedule = () => {
    if (pending) return
    pending = true
    requestAnimationFrame(() => {
      pending = false
      render()
    })
  }

  return {
    /** The journal as fetched: replaces what is shown, and drops the details of a request that is gone. */
    load(list: JournalEntry[]): void {
      entries = list.slice(0, KEPT)
      if (selected && !entries.some((e) => e.id === selected)) {
        if (flyoutKey() === `request:${selected}`) closeFlyout()
        selected = undefined
      }
      render()
    },
    add(entry: JournalEntry): void {
      if (entries.some((e) => e.id === entry.id)) return
      entries.unshift(entry)
      entries.length = Math.min(entries.length, KEPT)
      fresh.add(entry.id)
      setTimeout(() => {
        fresh.delete(entry.id)
        body.querySelector(`tr[data-id="${CSS.escape(entry.id)}"]`)?.classList.remove('fresh')
      }, 2000)
      schedule()
    },
    /** Names or the picked tenant may have changed (a reset, an import, the picker): draw again. */
    render,
  }
}
