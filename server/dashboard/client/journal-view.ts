import { byId, h } from './dom.ts'
import type { JournalEntry } from './types.ts'

const KEPT = 500

const statusClass = (status: number) => (status === 429 ? 's429' : `s${Math.floor(status / 100)}xx`)

function prettyBody(body: string | null, truncated: boolean): string {
  if (body === null) return '(none)'
  try {
    return JSON.stringify(JSON.parse(body), null, 2)
  } catch {
    return truncated ? `${body}` : body
  }
}

/** The live journal: newest first, filterable, each request's details on click (bodies as the journal keeps them, secrets redacted). */
export function createJournalView() {
  const body = byId<HTMLTableElement>('journal-table').tBodies[0]!
  const details = byId('request-details')
  const operation = byId<HTMLSelectElement>('filter-operation')
  const status = byId<HTMLSelectElement>('filter-status')
  const connection = byId<HTMLSelectElement>('filter-connection')
  let entries: JournalEntry[] = []
  const fresh = new Set<string>()
  let selected: string | undefined

  /** Keeps each filter's options in step with what the journal holds, and the current choice. */
  const fillOptions = (select: HTMLSelectElement, values: string[]) => {
    const current = select.value
    const all = [...new Set(values)].sort()
    if (current && !all.includes(current)) all.push(current)
    select.replaceChildren(h('option', { value: '' }, 'any'), ...all.map((v) => h('option', { value: v }, v)))
    select.value = current
  }

  const show = (entry: JournalEntry) => {
    selected = entry.id
    details.hidden = false
    details.replaceChildren(
      h('h3', {}, `${entry.method} ${entry.status} · ${entry.operationId ?? entry.surface}`),
      h(
        'dl',
        { class: 'kv' },
        ...(
          [
            ['Request id', entry.id],
            ['Time', entry.time],
            ['Host', entry.host],
            ['Path', entry.path],
            ['Tenant', entry.tenant ?? '–'],
            ['Principal', entry.principal ?? '–'],
            ['Connection', entry.connection ?? '–'],
            ['Duration', `${entry.durationMs} ms`],
          ] as const
        ).flatMap(([k, v]) => [h('dt', {}, k), h('dd', { class: 'mono' }, v)]),
      ),
      h('h3', {}, 'Request body'),
      h('pre', { 'data-testid': 'request-body' }, prettyBody(entry.requestBody, entry.requestBodyTruncated)),
      h('h3', {}, 'Response body'),
      h(
        'pre',
        { 'data-testid': 'response-body' },
        prettyBody(entry.responseBody, entry.responseBodyTruncated),
      ),
    )
    render()
  }

  const row = (entry: JournalEntry) => {
    const open = () => show(entry)
    return h(
      'tr',
      {
        tabindex: 0,
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
      h('td', { class: 'mono' }, new Date(entry.time).toLocaleTimeString()),
      h('td', {}, entry.method),
      h('td', {}, entry.operationId ?? h('span', { class: 'mono' }, entry.path.split('?')[0] ?? '')),
      h('td', { class: 'mono' }, entry.connection ?? ''),
      h('td', {}, h('span', { class: `badge ${statusClass(entry.status)}` }, entry.status)),
      h('td', { class: 'num' }, entry.durationMs),
    )
  }

  function render(): void {
    fillOptions(
      operation,
      entries.flatMap((e) => (e.operationId ? [e.operationId] : [])),
    )
    fillOptions(
      status,
      entries.map((e) => String(e.status)),
    )
    fillOptions(
      connection,
      entries.flatMap((e) => (e.connection ? [e.connection] : [])),
    )
    const shown = entries.filter(
      (e) =>
        (!operation.value || e.operationId === operation.value) &&
        (!status.value || String(e.status) === status.value) &&
        (!connection.value || e.connection === connection.value),
    )
    const focused = (document.activeElement as HTMLElement | null)?.dataset['id']
    body.replaceChildren(...shown.map(row))
    if (focused) body.querySelector<HTMLElement>(`tr[data-id="${CSS.escape(focused)}"]`)?.focus()
  }

  for (const select of [operation, status, connection]) select.addEventListener('change', render)

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
    /** The journal as fetched: replaces what is shown. */
    load(list: JournalEntry[]): void {
      entries = list.slice(0, KEPT)
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
    clear(): void {
      entries = []
      selected = undefined
      details.hidden = true
      render()
    },
  }
}
