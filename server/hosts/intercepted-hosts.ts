/**
 * The Microsoft hosts the proxy answers for, and which of their paths the emulator serves
 *. Everything else is refused: the emulator never reaches the internet.
 */
export interface InterceptedHost {
  /** How the start-up line and the docs name it. */
  name: string
  matches(host: string): boolean
  /** Whether a path (without its query) belongs to what the emulator emulates on this host. */
  serves(path: string): boolean
}

const FLOW_RP = (path: string) => path.startsWith('/providers/Microsoft.ProcessSimple/')
/** ARM: the Flow RP, and the subscription and tenant lists `az login` reads; nothing else of ARM. */
const ARM = (path: string) => FLOW_RP(path) || path === '/subscriptions' || path === '/tenants'
/** Entra's paths are tenant-first (`/{tenant}/oauth2/...`, `/common/discovery/instance`): anything not another surface's. */
const NOT_ENTRA = new Set([
  'providers',
  'apim',
  'v1.0',
  'subscriptions',
  'tenants',
  '_emulator',
  'openapi.json',
  'openapi.yaml',
  '',
])
const ENTRA = (path: string) => !NOT_ENTRA.has(path.split('/')[1] ?? '')
const GRAPH = (path: string) => /^\/v1\.0\/(me|users|groups)(\/|$)/.test(path)
const CONNECTOR = (path: string) => path.startsWith('/apim/microsoftflowforadmins/')

const exact = (name: string, serves: (path: string) => boolean): InterceptedHost => ({
  name,
  matches: (host) => host === name,
  serves,
})

export const INTERCEPTED_HOSTS: readonly InterceptedHost[] = [
  exact('api.flow.microsoft.com', FLOW_RP),
  exact('management.azure.com', ARM),
  exact('login.microsoftonline.com', ENTRA),
  exact('login.windows.net', ENTRA),
  exact('graph.microsoft.com', GRAPH),
  {
    name: '*.azure-apim.net',
    matches: (host) => /^[a-z0-9-]+(\.[a-z0-9-]+)*\.azure-apim\.net$/.test(host),
    serves: CONNECTOR,
  },
]

export function interceptedHost(host: string): InterceptedHost | undefined {
  const lower = host.toLowerCase()
  return INTERCEPTED_HOSTS.find((h) => h.matches(lower))
}
