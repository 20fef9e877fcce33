import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'

import type { UserRow } from '../../db/repositories/directory.ts'
import type { TenantRow } from '../../db/repositories/tenants.ts'
import { PathSegment } from '../../schemas/common.ts'
import type { EntraError } from '../errors/index.ts'
import { entraErrors } from '../errors/index.ts'
import { passwordMatches } from './grants/password.ts'
import { CODE_LIFETIME_SECONDS, type CodeGrant } from './grants/authorization-code.ts'
import { resolveClient, WELL_KNOWN_PUBLIC_CLIENTS } from './clients.ts'
import { assertRegisteredRedirect } from './redirect-uris.ts'
import { messagePage, signInPage } from './pages.ts'
import { resolveTenantSegment, tenantOfUpn, type TenantSegment } from './tenant-segment.ts'
import { htmlPage, pageErrorResponses, redirect } from './responses.ts'

/**
 * GET /{tenant}/oauth2/v2.0/authorize shows a small sign-in page (pick a user, enter the
 * password); POST signs in and redirects back with `code`. `login_hint` signs that user in at
 * once, for tests that want no page.
 * A redirect URI the client has not registered is refused (AADSTS50011, redirect-uris.ts), so a
 * page cannot have a code sent to a site of its own: the well-known public clients (Azure
 * PowerShell, the Azure CLI, the CLI for Microsoft 365) have `http://localhost` on any port, the
 * tenant's apps what their fixture registers.
 */

const AUTHORIZE_FIELDS = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'response_mode',
  'prompt',
  'login_hint',
] as const
type AuthorizeParams = Partial<Record<(typeof AUTHORIZE_FIELDS)[number], string>>

const AuthorizeQuery = Type.Object(
  Object.fromEntries(AUTHORIZE_FIELDS.map((f) => [f, Type.Optional(Type.String({ maxLength: 4096 }))])),
  { additionalProperties: true },
)

function pick(source: unknown): AuthorizeParams {
  const values = (source ?? {}) as Record<string, unknown>
  return Object.fromEntries(
    AUTHORIZE_FIELDS.flatMap((f) => (typeof values[f] === 'string' ? [[f, values[f]]] : [])),
  )
}

function redirectUriOf(params: AuthorizeParams): URL {
  try {
    const url = new URL(params.redirect_uri ?? '')
    if (url.protocol === 'http:' || url.protocol === 'https:') return url
  } catch {
    // falls through
  }
  throw entraErrors.malformedRequest("The request must contain an absolute http(s) 'redirect_uri'.")
}

const authorize: FastifyPluginAsyncTypebox = async (app) => {
  /** Checks what can be checked before a user is known; errors here are pages, not redirects. */
  function validate(segment: TenantSegment, params: AuthorizeParams) {
    if (!params.client_id) throw entraErrors.missingParameter('client_id')
    const redirect = redirectUriOf(params)
    if (params.response_type !== 'code') {
      throw entraErrors.malformedRequest("Only response_type 'code' is supported by the emulator.")
    }
    if (!params.scope) throw entraErrors.missingParameter('scope')
    if (params.code_challenge_method && !['S256', 'plain'].includes(params.code_challenge_method)) {
      throw entraErrors.malformedRequest("code_challenge_method must be 'S256' or 'plain'.")
    }
    if (segment.kind !== 'tenant' && !WELL_KNOWN_PUBLIC_CLIENTS[params.client_id.toLowerCase()]) {
      throw entraErrors.appNotFound(params.client_id, segment.alias)
    }
    const client =
      segment.kind === 'tenant'
        ? resolveClient(app.repos, segment.tenant.id, params.client_id)
        : ({ kind: 'public', clientId: params.client_id.toLowerCase() } as const)
    assertRegisteredRedirect(client, redirect, params.redirect_uri!)
    return redirect
  }

  function redirectWithCode(
    reply: FastifyReply,
    redirect: URL,
    params: AuthorizeParams,
    tenant: TenantRow,
    user: UserRow,
  ) {
    const code = `0.emulator-code.${app.random.token(48)}`
    const now = Math.floor(app.clock.now().getTime() / 1000)
    app.repos.grants.add<CodeGrant>('code', code, {
      tenantId: tenant.id,
      data: {
        clientId: params.client_id!.toLowerCase(),
        redirectUri: params.redirect_uri!,
        scope: params.scope!,
        userId: user.object_id,
        codeChallenge: params.code_challenge,
        codeChallengeMethod: params.code_challenge
          ? ((params.code_challenge_method ?? 'plain') as 'S256' | 'plain')
          : undefined,
        nonce: params.nonce,
      },
      expiresAt: now + CODE_LIFETIME_SECONDS,
    })
    const target = new URL(redirect)
    target.searchParams.set('code', code)
    target.searchParams.set(
      'client_info',
      Buffer.from(JSON.stringify({ uid: user.object_id, utid: tenant.id })).toString('base64url'),
    )
    if (params.state !== undefined) target.searchParams.set('state', params.state)
    return reply.redirect(target.toString(), 302)
  }

  function redirectWithError(
    reply: FastifyReply,
    redirect: URL,
    params: AuthorizeParams,
    error: string,
    description: string,
  ) {
    const target = new URL(redirect)
    target.searchParams.set('error', error)
    target.searchParams.set('error_description', description)
    if (params.state !== undefined) target.searchParams.set('state', params.state)
    return reply.redirect(target.toString(), 302)
  }

  function findUser(segment: TenantSegment, upn: string): { tenant: TenantRow; user: UserRow } | undefined {
    const tenant = segment.kind === 'tenant' ? segment.tenant : tenantOfUpn(app.repos, upn)
    const user = tenant && app.repos.directory.findUserByUpn(tenant.id, upn)
    return tenant && user ? { tenant, user } : undefined
  }

  function showPage(
    reply: FastifyReply,
    request: FastifyRequest,
    segment: TenantSegment,
    params: AuthorizeParams,
    error?: string,
  ) {
    const users =
      segment.kind === 'tenant' ? app.repos.directory.listUsers(segment.tenant.id).map((u) => u.upn) : []
    const clientName = WELL_KNOWN_PUBLIC_CLIENTS[params.client_id!.toLowerCase()] ?? params.client_id!
    return reply
      .code(error ? 400 : 200)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        signInPage({
          action: request.url.split('?')[0]!,
          fields: params,
          users,
          selected: params.login_hint,
          clientName,
          error,
        }),
      )
  }

  const schema = (operationId: string, summary: string) => ({
    operationId,
    summary,
    tags: ['Entra ID'],
    params: Type.Object({ tenant: PathSegment }),
    response: {
      200: htmlPage('The sign-in page'),
      302: redirect('Back to redirect_uri with a code, or with error and error_description'),
      400: htmlPage('An error page: the request cannot be trusted to redirect (or the sign-in failed)'),
      ...pageErrorResponses(),
    },
  })

  app.get(
    '/:tenant/oauth2/v2.0/authorize',
    {
      schema: {
        ...schema('Entra-Authorize', 'Authorization endpoint: the sign-in page'),
        querystring: AuthorizeQuery,
      },
    },
    async (request, reply) => {
      const params = pick(request.query)
      const segment = resolveTenantSegment(app.repos, request.params.tenant)
      const redirect = validate(segment, params)
      if (params.login_hint) {
        const found = findUser(segment, params.login_hint)
        if (found) return redirectWithCode(reply, redirect, params, found.tenant, found.user)
        if (params.prompt === 'none')
          return redirectWithError(
            reply,
            redirect,
            params,
            'login_required',
            'AADSTS50058: The user account in login_hint does not exist.',
          )
      } else if (params.prompt === 'none') {
        return redirectWithError(
          reply,
          redirect,
          params,
          'login_required',
          'AADSTS50058: A silent sign-in request was sent but no user is signed in.',
        )
      }
      return showPage(reply, request, segment, params)
    },
  )

  app.post(
    '/:tenant/oauth2/v2.0/authorize',
    {
      schema: {
        ...schema('Entra-AuthorizeSignIn', 'Authorization endpoint: sign in (form post from the page)'),
        consumes: ['application/x-www-form-urlencoded'],
      },
    },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>
      const params = pick(body)
      const segment = resolveTenantSegment(app.repos, request.params.tenant)
      const redirect = validate(segment, params)
      const username = typeof body['username'] === 'string' ? body['username'] : ''
      const password = typeof body['password'] === 'string' ? body['password'] : ''
      const found = findUser(segment, username)
      if (!found || !passwordMatches(found.user, password)) {
        return showPage(
          reply,
          request,
          segment,
          { ...params, login_hint: username },
          'Your account or password is incorrect.',
        )
      }
      return redirectWithCode(reply, redirect, params, found.tenant, found.user)
    },
  )
}

export default authorize

/** A page for errors found before the redirect URI could be trusted (Entra shows a page too). */
export function authorizeErrorPage(error: EntraError): string {
  return messagePage('Sign-in error', `AADSTS${error.code}: ${error.message}`)
}
