import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import type { FastifyInstance } from 'fastify'

import { buildApp, type AppOptions } from './app.ts'
import { FLOW_SERVICE_AUDIENCE } from './auth/audiences.ts'
import { AZURE_POWERSHELL_CLIENT_ID } from './auth/token-issuer.ts'
import { listen, type Listening } from './listen.ts'

/**
 * The emulator in-process, for test runners: `startEmulator()` listens on free ports with an
 * in-memory database and the demo tenant, and hands back URLs, tokens and controls.
 */

export interface StartEmulatorOptions extends Partial<AppOptions> {
  host?: string
  /** HTTP port (default 0: any free port). */
  port?: number
  /** HTTPS port (default 0: any free port; `off` for none). */
  httpsPort?: number | 'off'
  /**
   * Where the local CA lives. Default: a new temporary folder, removed by `close()`, so a test
   * project's folder stays untouched; `caCertPath` names the CA either way.
   */
  dataDir?: string
  /** Start the HTTPS proxy for tools with hard-coded Microsoft hosts (0: any free port). */
  proxyPort?: number
}

export interface EmulatorTenant {
  id: string
  name: string
  domain: string
  defaultEnvironment: string
}

export interface TokenOptions {
  audience?: string
  expiresInSeconds?: number
  claims?: Record<string, unknown>
}

export interface RunningEmulator {
  /** `http://127.0.0.1:<port>` */
  url: string
  /** `https://127.0.0.1:<port>`, the Entra authority host; undefined with `httpsPort: 'off'`. */
  httpsUrl: string | undefined
  /** The local CA certificate to trust: pass it to a client's `ca` option or NODE_EXTRA_CA_CERTS. */
  caCertPath: string | undefined
  /** `http://127.0.0.1:<port>` for HTTPS_PROXY, when `proxyPort` was given. */
  proxyUrl: string | undefined
  tenants: EmulatorTenant[]
  tokens: {
    /** A delegated token for a tenant user, by UPN (the tenant is the UPN's domain). */
    forUser(upn: string, options?: TokenOptions): Promise<string>
    /** An app-only token for a registered application. */
    forApp(clientId: string, options?: TokenOptions & { tenant?: string }): Promise<string>
  }
  /** POST /_emulator/reset: the fixtures again (all, or one tenant). */
  reset(tenant?: string): Promise<void>
  /** POST /_emulator/tenants: a fresh copy of a template tenant, for one test. */
  newTenant(template?: string | object): Promise<NewTenant>
  close(): Promise<void>
  /** The Fastify app, for `inject`. */
  app: FastifyInstance
}

export interface NewTenant {
  tenantId: string
  name: string
  domain: string
  defaultEnvironment: string
  environments: string[]
  users: { upn: string; objectId: string; roles: string[] }[]
  apps: {
    clientId: string
    servicePrincipalId: string
    displayName: string
    managementApplication: boolean
  }[]
  flows: { name: string; displayName: string; environment: string; state: string }[]
  connections: string[]
  adminToken: string | null
}

async function control<T>(app: FastifyInstance, method: 'POST', url: string, payload?: object): Promise<T> {
  const res = await app.inject({
    method,
    url,
    ...(payload ? { payload: payload as Record<string, unknown> } : {}),
  })
  if (res.statusCode >= 400) throw new Error(`${method} ${url} answered ${res.statusCode}: ${res.body}`)
  return res.json<T>()
}

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const { host = '127.0.0.1', port = 0, httpsPort = 0, proxyPort, ...appOptions } = options
  const temporary = options.dataDir === undefined ? mkdtempSync(join(tmpdir(), 'paae-')) : undefined
  const dataDir = options.dataDir ?? temporary!
  const removeTemporary = () => {
    if (temporary) rmSync(temporary, { recursive: true, force: true })
  }
  let listening: Listening
  let app: FastifyInstance
  try {
    app = await buildApp({ db: ':memory:', logLevel: 'silent', ...appOptions })
    listening = await listen(app, { host, port, httpsPort, dataDir, proxyPort })
  } catch (error) {
    removeTemporary()
    throw error
  }
  const { repos, tokenIssuer: issuer } = app
  const tenants = () =>
    repos.tenants.list().map((t) => ({
      id: t.id,
      name: t.name,
      domain: t.domain,
      defaultEnvironment:
        repos.environments.listForTenant(t.id).find((e) => e.is_default === 1)?.name ?? `Default-${t.id}`,
    }))
  const common = (tenantId: string, o: TokenOptions = {}) => ({
    tenantId,
    audience: o.audience ?? FLOW_SERVICE_AUDIENCE,
    lifetimeSeconds: o.expiresInSeconds ?? 3600,
    ...(o.claims ? { extraClaims: o.claims } : {}),
  })
  return {
    url: listening.httpUrl,
    httpsUrl: listening.httpsUrl,
    caCertPath: listening.caCertificatePath,
    proxyUrl: listening.proxyUrl,
    get tenants() {
      return tenants()
    },
    tokens: {
      async forUser(upn, o) {
        const tenant = repos.tenants.resolve(upn.split('@')[1] ?? '')
        const user = tenant && repos.directory.findUserByUpn(tenant.id, upn)
        if (!tenant || !user) throw new Error(`No user '${upn}' in the emulator`)
        return (await issuer.forUser({ ...common(tenant.id, o), user, clientId: AZURE_POWERSHELL_CLIENT_ID }))
          .accessToken
      },
      async forApp(clientId, o = {}) {
        const candidates = o.tenant
          ? [repos.tenants.resolve(o.tenant)].filter((t) => t !== undefined)
          : repos.tenants.list()
        for (const tenant of candidates) {
          const registered = repos.directory.findApp(tenant.id, clientId)
          if (registered)
            return (await issuer.forApp({ ...common(tenant.id, o), app: registered })).accessToken
        }
        throw new Error(`No application '${clientId}' in the emulator`)
      },
    },
    async reset(tenant) {
      await control(app, 'POST', `/_emulator/reset${tenant ? `?tenant=${encodeURIComponent(tenant)}` : ''}`)
    },
    newTenant: (template = 'contoso') => control<NewTenant>(app, 'POST', '/_emulator/tenants', { template }),
    async close() {
      try {
        await listening.close()
      } finally {
        removeTemporary()
      }
    },
    app,
  }
}

export type { AppOptions } from './app.ts'
export { buildApp } from './app.ts'
