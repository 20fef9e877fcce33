import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'

import { PathSegment } from '../../schemas/common.ts'
import { entraErrors } from '../errors/index.ts'
import { resolveClient, WELL_KNOWN_PUBLIC_CLIENTS } from './clients.ts'
import { DEVICE_CODE_LIFETIME_SECONDS, type DeviceGrant } from './grants/device-code.ts'
import { passwordMatches } from './grants/password.ts'
import { deviceLoginPage, messagePage } from './pages.ts'
import { noStore } from './respond.ts'
import { parseV1Resource, parseV2Scope } from './scopes.ts'
import { resolveTenantSegment, tenantOfUpn } from './tenant-segment.ts'
import { entraErrorResponses, htmlPage, pageErrorResponses } from './responses.ts'

/** Letters and digits people do not confuse (no 0/O, 1/I/L). */
const USER_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'

/**
 * The device code flow (RFC 8628, entra.md §1.2-1.3): POST .../devicecode starts it; the user
 * approves at /devicelogin on the emulator; the client polls the token endpoint meanwhile.
 */
const device: FastifyPluginAsyncTypebox = async (app) => {
  function userCode(): string {
    const bytes = Buffer.from(app.random.token(12), 'base64url')
    return [...bytes.subarray(0, 8)].map((b) => USER_CODE_ALPHABET[b % USER_CODE_ALPHABET.length]).join('')
  }

  const start = async (
    version: 'v1' | 'v2',
    request: FastifyRequest,
    reply: FastifyReply,
    tenantParam: string,
  ) => {
    noStore(reply)
    const segment = resolveTenantSegment(app.repos, tenantParam)
    const form = (request.body ?? {}) as Record<string, unknown>
    const clientId = typeof form['client_id'] === 'string' ? form['client_id'] : ''
    if (!clientId) throw entraErrors.missingParameter('client_id')
    const scopeName = version === 'v2' ? 'scope' : 'resource'
    const scope = typeof form[scopeName] === 'string' ? form[scopeName] : ''
    if (!scope) throw entraErrors.missingParameter(scopeName)
    const tenantForChecks = segment.kind === 'tenant' ? segment.tenant.id : tenantParam
    if (version === 'v2') parseV2Scope(scope, tenantForChecks)
    else parseV1Resource(scope, tenantForChecks)
    if (segment.kind === 'tenant') resolveClient(app.repos, segment.tenant.id, clientId)
    else if (!WELL_KNOWN_PUBLIC_CLIENTS[clientId.toLowerCase()])
      throw entraErrors.appNotFound(clientId, tenantParam)

    const deviceCode = `0.emulator-device.${app.random.token(48)}`
    const code = userCode()
    const expiresAt = Math.floor(app.clock.now().getTime() / 1000) + DEVICE_CODE_LIFETIME_SECONDS
    const tenantId = segment.kind === 'tenant' ? segment.tenant.id : null
    app.repos.grants.add<DeviceGrant>('device', deviceCode, {
      tenantId,
      data: { clientId: clientId.toLowerCase(), userCode: code, version, scope },
      expiresAt,
    })
    app.repos.grants.add('user_code', code, { tenantId, data: { deviceCode }, expiresAt })
    const verificationUri = `${request.protocol}://${request.host}/devicelogin`
    return {
      user_code: code,
      device_code: deviceCode,
      verification_uri: verificationUri,
      expires_in: DEVICE_CODE_LIFETIME_SECONDS,
      interval: app.settings.deviceCodeInterval,
      message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${code} to authenticate.`,
    }
  }

  const schema = (operationId: string, summary: string) => ({
    operationId,
    summary,
    tags: ['Entra ID'],
    consumes: ['application/x-www-form-urlencoded'],
    params: Type.Object({ tenant: PathSegment }),
    response: {
      200: Type.Object(
        {},
        {
          additionalProperties: true,
          description: 'user_code, device_code, verification_uri, expires_in, interval, message',
        },
      ),
      ...entraErrorResponses(),
    },
  })
  app.post(
    '/:tenant/oauth2/v2.0/devicecode',
    { schema: schema('Entra-DeviceCodeV2', 'Start a device code sign-in (v2)') },
    (request, reply) => start('v2', request, reply, request.params.tenant),
  )
  app.post(
    '/:tenant/oauth2/devicecode',
    { schema: schema('Entra-DeviceCode', 'Start a device code sign-in (v1)') },
    (request, reply) => start('v1', request, reply, request.params.tenant),
  )

  const html = (reply: FastifyReply, status: number, body: string): void => {
    void reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body)
  }

  app.get(
    '/devicelogin',
    {
      schema: {
        operationId: 'Entra-DeviceLoginPage',
        summary: 'The page where a user enters a device code',
        tags: ['Entra ID'],
        querystring: Type.Object(
          { code: Type.Optional(Type.String({ maxLength: 16 })) },
          { additionalProperties: true },
        ),
        response: { 200: htmlPage('The page'), ...pageErrorResponses() },
      },
    },
    (request, reply) =>
      html(reply, 200, deviceLoginPage({ action: '/devicelogin', userCode: request.query.code })),
  )

  app.post(
    '/devicelogin',
    {
      schema: {
        operationId: 'Entra-DeviceLogin',
        summary: 'Approve a device code (form post from the page)',
        tags: ['Entra ID'],
        consumes: ['application/x-www-form-urlencoded'],
        response: {
          200: htmlPage('Signed in'),
          400: htmlPage(
            'The page again, saying what was wrong (an unknown or expired code, a wrong password)',
          ),
          ...pageErrorResponses(),
        },
      },
    },
    (request, reply) => {
      const form = (request.body ?? {}) as Record<string, unknown>
      const text = (name: string) => (typeof form[name] === 'string' ? form[name].trim() : '')
      const code = text('user_code').toUpperCase()
      const retry = (error: string) =>
        html(reply, 400, deviceLoginPage({ action: '/devicelogin', error, userCode: code }))
      const link = app.repos.grants.find<{ deviceCode: string }>('user_code', code)
      const now = Math.floor(app.clock.now().getTime() / 1000)
      if (!link || link.expiresAt < now)
        return retry('That code is not valid or has expired. Check the code and try again.')
      const grant = app.repos.grants.find<DeviceGrant>('device', link.data.deviceCode)
      if (!grant) return retry('That code is not valid or has expired.')
      const username = text('username')
      const tenant = grant.tenantId
        ? app.repos.tenants.findById(grant.tenantId)
        : tenantOfUpn(app.repos, username)
      const user = tenant && app.repos.directory.findUserByUpn(tenant.id, username)
      if (!tenant || !user || !passwordMatches(user, text('password')))
        return retry('Your account or password is incorrect.')
      app.repos.grants.update<DeviceGrant>(
        'device',
        link.data.deviceCode,
        { ...grant.data, userId: user.object_id },
        tenant.id,
      )
      return html(
        reply,
        200,
        messagePage(
          'You are signed in',
          `${user.upn} is signed in. You can close this window and return to the application.`,
        ),
      )
    },
  )
}

export default device
