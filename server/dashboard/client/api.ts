import type {
  CoverageReport,
  FaultRule,
  JournalEntry,
  Overview,
  Throttling,
  Traffic,
} from '../../../schemas/control.ts'

/** An error answer of the emulator, with its envelope's message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

async function call<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (token) headers['authorization'] = `Bearer ${token}`
  const response = await fetch(path, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    credentials: 'same-origin',
  })
  const text = await response.text()
  const parsed: unknown = text ? JSON.parse(text) : undefined
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error
    throw new ApiError(response.status, `${response.status} ${error?.code ?? ''}: ${error?.message ?? text}`)
  }
  return parsed as T
}

const FLOW_API = '/providers/Microsoft.ProcessSimple/scopes/admin/environments'
const API_VERSION = 'api-version=2016-11-01'

export const api = {
  overview: () => call<Overview>('GET', '/_emulator/overview'),
  journal: () => call<{ value: JournalEntry[] }>('GET', '/_emulator/requests?limit=200'),
  throttling: () => call<Throttling>('GET', '/_emulator/throttling'),
  traffic: () => call<Traffic>('GET', '/_emulator/traffic'),
  clock: () => call<{ now: string; mode: string }>('GET', '/_emulator/clock'),
  advanceClock: (seconds: number) => call('POST', '/_emulator/clock', { advanceSeconds: seconds }),
  realClock: () => call('POST', '/_emulator/clock', { mode: 'real' }),
  reset: (tenant?: string) =>
    call('POST', tenant ? `/_emulator/reset?tenant=${encodeURIComponent(tenant)}` : '/_emulator/reset'),
  faults: () => call<{ value: FaultRule[] }>('GET', '/_emulator/faults'),
  addFault: (rule: Record<string, unknown>) => call<FaultRule>('POST', '/_emulator/faults', rule),
  removeFault: (id: string) => call('DELETE', `/_emulator/faults/${encodeURIComponent(id)}`),
  clearJournal: () => call('DELETE', '/_emulator/requests'),
  coverage: () => call<CoverageReport>('GET', '/_emulator/coverage'),
  /**
   * Acts on a flow as the tenant's admin would: a token from the emulator's Entra ID, then the
   * real Flow admin API, so the journal shows the call like any client's.
   */
  async asAdmin(
    tenant: string,
    admin: string,
    method: string,
    environment: string,
    tail: string,
    body?: unknown,
  ) {
    const { access_token } = await call<{ access_token: string }>('POST', '/_emulator/tokens', {
      tenant,
      user: admin,
    })
    const path = `${FLOW_API}/${encodeURIComponent(environment)}/flows/${tail}?${API_VERSION}`
    await call(method, path, body, access_token)
  },
}
