import { createHash } from 'node:crypto'

import { SignJWT, type JWTPayload } from 'jose'

import type { AppRow, UserRow } from '../../db/repositories/directory.ts'
import type { Clock } from '../clock.ts'
import type { RandomSource } from '../random.ts'
import { DEFAULT_USER_ROLE_TEMPLATE_ID, ROLE_TEMPLATE_IDS } from './directory-roles.ts'
import type { Issuers } from './issuers.ts'
import type { KeyRing } from './key-ring.ts'

/** Azure PowerShell's public client: what the Power Apps admin PowerShell module signs in with. */
export const AZURE_POWERSHELL_CLIENT_ID = '1950a258-227b-4e31-a9cf-717495945fc2'

export interface TokenRequest {
  tenantId: string
  audience: string
  lifetimeSeconds: number
  /** Claims merged last, to craft unusual tokens in tests. */
  extraClaims?: Record<string, unknown>
}

export interface MintedToken {
  accessToken: string
  expiresIn: number
  claims: JWTPayload
}

/**
 * Mints v1-shaped access tokens, as Entra issues them for Microsoft first-party resources such as
 * Power Automate (entra.md §4.1, §4.5), signed with the tenant's key.
 */
export function createTokenIssuer(deps: {
  keys: KeyRing
  clock: Clock
  random: RandomSource
  issuers: Issuers
}) {
  async function sign(tenantId: string, claims: JWTPayload, lifetimeSeconds: number): Promise<MintedToken> {
    const key = deps.keys.forTenant(tenantId)
    if (!key) throw new Error(`Tenant ${tenantId} has no signing key`)
    const now = Math.floor(deps.clock.now().getTime() / 1000)
    // iat/nbf/exp first so the caller's extra claims can override them (expired tokens in tests).
    const payload: JWTPayload = { iat: now, nbf: now, exp: now + lifetimeSeconds, ...claims }
    const accessToken = await new SignJWT(payload)
      .setProtectedHeader({ typ: 'JWT', alg: 'RS256', x5t: key.kid, kid: key.kid })
      .sign(key.privateKey)
    return { accessToken, expiresIn: lifetimeSeconds, claims: payload }
  }

  const common = (req: TokenRequest) => ({
    aud: req.audience,
    iss: deps.issuers.v1(req.tenantId),
    aio: deps.random.token(48),
    idp: deps.issuers.v1(req.tenantId),
    rh: `0.${deps.random.token(32)}.`,
    tid: req.tenantId,
    uti: deps.random.token(16),
    ver: '1.0',
  })

  return {
    /** A delegated token: `user` signed in through public or confidential client `clientId`. */
    forUser(
      req: TokenRequest & { user: UserRow; clientId: string; appidacr?: '0' | '1' | '2'; scope?: string },
    ) {
      const { user } = req
      const claims: JWTPayload = {
        ...common(req),
        acr: '1',
        amr: ['pwd'],
        appid: req.clientId,
        appidacr: req.appidacr ?? '0',
        family_name: user.surname ?? undefined,
        given_name: user.given_name ?? undefined,
        idtyp: 'user',
        ipaddr: '127.0.0.1',
        name: user.display_name,
        oid: user.object_id,
        scp: req.scope ?? 'user_impersonation',
        // `sub` is pairwise per application in real tokens: stable for one user and app, opaque.
        sub: createHash('sha256')
          .update(`${user.object_id}:${req.clientId}`)
          .digest('base64url')
          .slice(0, 43),
        unique_name: user.upn,
        upn: user.upn,
        wids: [...user.roles.map((r) => ROLE_TEMPLATE_IDS[r]), DEFAULT_USER_ROLE_TEMPLATE_ID],
        ...req.extraClaims,
      }
      return sign(req.tenantId, stripUndefined(claims), req.lifetimeSeconds)
    },
    /** A v2 ID token for a signed-in user, for the client `clientId` (entra.md §0 item 5). */
    async idToken(req: { tenantId: string; user: UserRow; clientId: string; nonce?: string | undefined }) {
      const claims: JWTPayload = {
        aud: req.clientId,
        iss: deps.issuers.v2(req.tenantId),
        name: req.user.display_name,
        nonce: req.nonce,
        oid: req.user.object_id,
        preferred_username: req.user.upn,
        rh: `0.${deps.random.token(32)}.`,
        sub: pairwiseSubject(req.user.object_id, req.clientId),
        tid: req.tenantId,
        uti: deps.random.token(16),
        ver: '2.0',
      }
      return (await sign(req.tenantId, stripUndefined(claims), 3600)).accessToken
    },
    /** An app-only token for `app`'s service principal (client credentials). */
    forApp(req: TokenRequest & { app: AppRow; appidacr?: '1' | '2' }) {
      const claims: JWTPayload = {
        ...common(req),
        // Entra names the app in app-only tokens and leaves `roles` out when none are granted.
        app_displayname: req.app.display_name,
        appid: req.app.client_id,
        appidacr: req.appidacr ?? '1',
        idtyp: 'app',
        oid: req.app.service_principal_id,
        sub: req.app.service_principal_id,
        ...req.extraClaims,
      }
      return sign(req.tenantId, stripUndefined(claims), req.lifetimeSeconds)
    },
  }
}
export type TokenIssuer = ReturnType<typeof createTokenIssuer>

/** `sub` is pairwise per application in real tokens: stable for one user and app, opaque. */
function pairwiseSubject(objectId: string, clientId: string): string {
  return createHash('sha256').update(`${objectId}:${clientId}`).digest('base64url').slice(0, 43)
}

function stripUndefined(claims: JWTPayload): JWTPayload {
  return Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined))
}
