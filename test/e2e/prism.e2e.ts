import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startEmulator, type RunningEmulator } from '../../server/index.ts'
import { FIRST_PARTY, viaConnector } from '../helpers/connector.ts'
import { ADMIN, API, CONTOSO } from '../helpers/demo.ts'

/**
 * The document read as a user reads it: Stoplight Prism's validating proxy, given the emulator's
 * own /openapi.json, in front of the emulator. Request validation is off, so every request reaches
 * the emulator; Prism must report no response violation (warnings about undocumented statuses
 * included) for a sample of successes and errors of every surface.
 */
const PRISM = fileURLToPath(
  new URL('./prism/node_modules/@stoplight/prism-cli/dist/index.js', import.meta.url),
)

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

let emulator: RunningEmulator
let prism: ChildProcess
let prismUrl: string
let output = ''

beforeAll(async () => {
  expect(existsSync(PRISM), 'Prism is installed by `npm run test:e2e`').toBe(true)
  emulator = await startEmulator({ throttle: { limit: 1000 } })
  const port = await freePort()
  prismUrl = `http://127.0.0.1:${port}`
  prism = spawn(
    process.execPath,
    [
      PRISM,
      'proxy',
      `${emulator.url}/openapi.json`,
      emulator.url,
      '--errors',
      '--validate-request',
      'false',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  prism.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  prism.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Prism did not start in 60 s:\n${output}`)), 60_000)
    const poll = setInterval(() => {
      if (!output.includes('Prism is listening')) return
      clearInterval(poll)
      clearTimeout(timer)
      resolve()
    }, 100)
    prism.on('exit', (code) => reject(new Error(`Prism exited ${code}:\n${output}`)))
  })
}, 90_000)

afterAll(async () => {
  prism?.kill()
  await emulator?.close()
})

interface Call {
  name: string
  method?: string
  path: string
  headers?: Record<string, string>
  body?: string
  status: number
}

/** Sends a call through Prism and returns its status; Prism's log lines of that call are checked after. */
async function through(call: Call): Promise<number> {
  const res = await fetch(`${prismUrl}${call.path}`, {
    method: call.method ?? 'GET',
    headers: call.headers ?? {},
    ...(call.body === undefined ? {} : { body: call.body }),
    redirect: 'manual',
  })
  await res.arrayBuffer()
  return res.status
}

const json = { 'content-type': 'application/json' }
const form = { 'content-type': 'application/x-www-form-urlencoded' }
const permissions = `/environments/~default/flows/${CONTOSO.flows.invoiceApproval}/permissions`
const clientCredentials = {
  grant_type: 'client_credentials',
  client_id: CONTOSO.automationApp.clientId,
  scope: 'https://service.flow.microsoft.com//.default',
}
const tokenCall = (name: string, fields: Record<string, string>, status: number): Call => ({
  name,
  method: 'POST',
  path: `/${CONTOSO.tenantId}/oauth2/v2.0/token`,
  headers: form,
  body: new URLSearchParams(fields).toString(),
  status,
})

describe('Prism proxy (--errors, request validation off) in front of the emulator', () => {
  it('finds no response violation on any surface, successes and errors alike', async () => {
    const admin = await emulator.tokens.forUser(CONTOSO.admin.upn)
    const maker = await emulator.tokens.forUser(CONTOSO.maker.upn)
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
    const fault = async (rule: object) => {
      const res = await fetch(`${emulator.url}/_emulator/faults`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify(rule),
      })
      expect(res.status).toBe(201)
    }

    const calls: Call[] = [
      // The Flow admin API
      {
        name: 'list flows',
        path: `${ADMIN}/environments/~default/flows?${API}`,
        headers: bearer(admin),
        status: 200,
      },
      { name: 'permissions', path: `${ADMIN}${permissions}?${API}`, headers: bearer(admin), status: 200 },
      // Prism answers a call without the documented bearer itself (its security check is not
      // request validation), so the 401 sent through it is for a token the emulator refuses.
      {
        name: 'an invalid token',
        path: `${ADMIN}${permissions}?${API}`,
        headers: { authorization: 'Bearer not.a.token' },
        status: 401,
      },
      { name: 'no api-version', path: `${ADMIN}${permissions}`, headers: bearer(admin), status: 400 },
      { name: 'not an admin', path: `${ADMIN}${permissions}?${API}`, headers: bearer(maker), status: 403 },
      {
        name: 'unknown flow',
        path: `${ADMIN}/environments/~default/flows/00000000-0000-0000-0000-000000000000/permissions?${API}`,
        headers: bearer(admin),
        status: 404,
      },
      {
        name: 'stop',
        method: 'POST',
        path: `${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}/stop?${API}`,
        headers: bearer(admin),
        status: 200,
      },
      {
        name: 'delete a missing flow',
        method: 'DELETE',
        path: `${ADMIN}/environments/~default/flows/00000000-0000-0000-0000-000000000000?${API}`,
        headers: bearer(admin),
        status: 204,
      },
      {
        name: 'modifyPermissions with a bad body',
        method: 'POST',
        path: `${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}/modifyPermissions?${API}`,
        headers: { ...bearer(admin), ...json },
        body: '{"put":[{"properties":{}}]}',
        status: 400,
      },
      {
        name: 'user details',
        path: `${ADMIN}/users/${CONTOSO.admin.id}?${API}`,
        headers: bearer(admin),
        status: 200,
      },
      // The connector surface
      {
        name: 'connector permissions',
        path: viaConnector(FIRST_PARTY, permissions),
        headers: bearer(admin),
        status: 200,
      },
      {
        name: "another user's connection",
        path: viaConnector(FIRST_PARTY, permissions),
        headers: bearer(maker),
        status: 403,
      },
      // Entra ID
      {
        name: 'openid configuration',
        path: `/${CONTOSO.tenantId}/v2.0/.well-known/openid-configuration`,
        status: 200,
      },
      { name: 'unknown tenant', path: '/nowhere.example/v2.0/.well-known/openid-configuration', status: 400 },
      { name: 'keys', path: `/${CONTOSO.tenantId}/discovery/v2.0/keys`, status: 200 },
      tokenCall(
        'client credentials',
        { ...clientCredentials, client_secret: 'contoso-automation-secret' },
        200,
      ),
      tokenCall('a wrong secret', { ...clientCredentials, client_secret: 'wrong' }, 401),
      tokenCall('an unsupported grant', { grant_type: 'nonsense' }, 400),
      {
        name: 'the sign-in page',
        path: `/${CONTOSO.tenantId}/oauth2/v2.0/authorize?client_id=1950a258-227b-4e31-a9cf-717495945fc2&redirect_uri=http%3A%2F%2Flocalhost%2Fcb&response_type=code&scope=openid`,
        status: 200,
      },
      // Microsoft Graph
      { name: 'graph me, no token', path: '/v1.0/me', status: 401 },
      // The control plane
      { name: 'health', path: '/_emulator/health', status: 200 },
      { name: 'coverage', path: '/_emulator/coverage', status: 200 },
    ]
    const statuses: Record<string, number> = {}
    for (const call of calls) statuses[call.name] = await through(call)

    // The presets' answers, which must conform too.
    await fault({ operationId: 'Get-AdminFlowOwnerRole', preset: 'throttle', times: 1 })
    statuses['throttle preset'] = await through({
      name: '',
      path: `${ADMIN}${permissions}?${API}`,
      headers: bearer(admin),
      status: 429,
    })
    await fault({ operationId: 'Entra-TokenV2', preset: 'unavailable', times: 1 })
    statuses['unavailable preset'] = await through(tokenCall('', { grant_type: 'nonsense' }, 503))

    expect(statuses).toEqual({
      ...Object.fromEntries(calls.map((c) => [c.name, c.status])),
      'throttle preset': 429,
      'unavailable preset': 503,
    })
    // Prism logs each violation as an error (✖) and each undocumented status as a warning (⚠).
    const violations = output.split('\n').filter((line) => /✖|⚠|violation/i.test(line))
    expect(violations, output).toEqual([])
  }, 120_000)

  it("would see a mismatch: a fault rule of the test's own, with a status no operation documents", async () => {
    const admin = await emulator.tokens.forUser(CONTOSO.admin.upn)
    const res = await fetch(`${emulator.url}/_emulator/faults`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        operationId: 'Get-AdminFlowOwnerRole',
        status: 418,
        body: { teapot: true },
        times: 1,
      }),
    })
    expect(res.status).toBe(201)
    const before = output.length
    await through({
      name: '',
      path: `${ADMIN}${permissions}?${API}`,
      headers: { authorization: `Bearer ${admin}` },
      status: 418,
    })
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(
      output
        .slice(before)
        .split('\n')
        .filter((line) => /✖|⚠|violation/i.test(line)),
    ).not.toEqual([])
  })
})
