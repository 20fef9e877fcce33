import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose'

import { normaliseId } from '../../schemas/common.ts'
import type { Clock } from '../clock.ts'
import { DEFAULT_MAX_TOKEN_LIFETIME } from '../config.ts'
import { errors } from '../errors/index.ts'
import { FLOW_API_AUDIENCES } from './audiences.ts'
import type { Issuers } from './issuers.ts'
import type { KeyRing } from './key-ring.ts'

/** Who is calling, from a verified token. */
export interface Caller {
  tenantId: string
  /** The user's object id, or the service principal's for an app-only token. */
  objectId: string
  kind: 'user' | 'app'
  /** The client application (`appid`). */
  clientId: string
  claims: JWTPayload
}

/** Microsoft's middleware tolerates five minutes of clock skew (entra.md §7.2). */
export const CLOCK_SKEW_SECONDS = 300

/** How many verified tokens are remembered; the oldest is forgotten first. */
const VERIFIED_CACHE_SIZE = 10_000

/** Enough of a signature's end to tell cached tokens apart; a clash only costs a verification. */
const CACHE_KEY_CHARS = 48

const BEARER = /^Bearer[ \t]+([A-Za-z0-9._~+/=-]+)[ \t]*$/i

/**
 * Verifies bearer tokens the way the Flow API does: RS256 only, a `kid` of a known tenant key,
 * lifetime with skew, the tenant's issuer and one of the accepted audiences
 * (entra.md §7). Every failure is a catalog 401; nothing here trusts an unverified claim.
 */
export function createTokenVerifier(deps: {
  keys: KeyRing
  clock: Clock
  issuers: Issuers
  audiences?: readonly string[]
  /** `--max-token-lifetime`: the longest `exp - iat` accepted, in seconds. */
  maxLifetimeSeconds?: number
}) {
  const audiences = deps.audiences ?? FLOW_API_AUDIENCES
  const maxLifetime = deps.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME

  // Verified tokens, so a client that sends the same token again costs a map lookup, not an RSA
  // verification. The lifetime claims are checked again on every use against the clock; a change
  // of the key set (a tenant deleted, state imported) forgets everything.
  // Keyed by the header's last characters (the end of the RS256 signature): hashing a short slice is
  // cheap where hashing the whole kilobyte-long header on every request was not. The
  // entry keeps the whole header, and only an identical one is a hit.
  const verified = new Map<
    string,
    {
      authorization: string
      caller: Caller
      exp: number | undefined
      nbf: number | undefined
      generation: number
    }
  >()
  const keyOf = (authorization: string) => authorization.slice(-CACHE_KEY_CHARS)

  function fromCache(authorization: string, now: Date): Caller | undefined {
    const hit = verified.get(keyOf(authorization))
    if (hit?.authorization !== authorization) return undefined
    if (hit.generation !== deps.keys.generation()) {
      verified.clear()
      return undefined
    }
    const seconds = Math.floor(now.getTime() / 1000)
    if (hit.exp !== undefined && hit.exp <= seconds - CLOCK_SKEW_SECONDS)
      throw errors.expiredToken(new Date(hit.exp * 1000), now)
    if (hit.nbf !== undefined && hit.nbf > seconds + CLOCK_SKEW_SECONDS)
      throw errors.invalidToken('The token is not yet valid.')
    return hit.caller
  }

  function remember(authorization: string, caller: Caller): Caller {
    if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!)
    const { exp, nbf } = caller.claims
    verified.set(keyOf(authorization), {
      authorization,
      caller,
      exp,
      nbf,
      generation: deps.keys.generation(),
    })
    return caller
  }

  async function verify(authorization: string | undefined): Promise<Caller> {
    if (authorization === undefined) throw errors.missingAuthorization()
    const cached = fromCache(authorization, deps.clock.now())
    if (cached) return cached
    if (authorization.trim() === '') throw errors.missingAuthorization()
    const token = BEARER.exec(authorization)?.[1]
    if (!token) throw errors.invalidAuthorizationScheme()

    let header: ReturnType<typeof decodeProtectedHeader>
    try {
      header = decodeProtectedHeader(token)
    } catch {
      throw errors.invalidToken('The token is malformed.')
    }
    if (header.alg !== 'RS256') throw errors.invalidToken('The token must be signed with RS256.')
    if (typeof header.kid !== 'string') throw errors.invalidToken('The token has no key id (kid).')
    const key = deps.keys.byKid(header.kid)
    if (!key) throw errors.invalidToken('The signing key is not known.')

    const now = deps.clock.now()
    let payload: JWTPayload
    try {
      ;({ payload } = await jwtVerify(token, key.publicKey, {
        algorithms: ['RS256'],
        clockTolerance: CLOCK_SKEW_SECONDS,
        currentDate: now,
      }))
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) {
        throw errors.expiredToken(new Date(Number(error.payload.exp) * 1000), now)
      }
      if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'nbf') {
        throw errors.invalidToken('The token is not yet valid.')
      }
      if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
        throw errors.invalidToken('The token signature is invalid.')
      }
      throw errors.invalidToken('The token is malformed.')
    }

    checkLifetime(payload, now)
    const audience = payload.aud
    if (typeof audience !== 'string' || !audiences.includes(audience)) {
      throw errors.wrongAudience(
        Array.isArray(audience) ? audience.join(',') : String(audience ?? ''),
        audiences,
      )
    }
    const tenantId = typeof payload['tid'] === 'string' ? normaliseId(payload['tid']) : ''
    const issuer = String(payload.iss ?? '')
    // The key must belong to the tenant the token claims, and the issuer must be that tenant's.
    if (tenantId !== key.tenantId || !deps.issuers.accepts(issuer, tenantId)) {
      throw errors.wrongTenant(issuer)
    }
    const objectId = payload['oid']
    const clientId = payload['appid'] ?? payload['azp']
    if (typeof objectId !== 'string' || typeof clientId !== 'string') {
      throw errors.invalidToken('The token has no oid or appid claim.')
    }
    // entra.md §4.4: `idtyp` when present, otherwise `scp` marks a delegated token.
    const idtyp = payload['idtyp']
    const kind = idtyp === 'app' || (idtyp === undefined && payload['scp'] === undefined) ? 'app' : 'user'
    return remember(authorization, {
      tenantId,
      objectId: normaliseId(objectId),
      kind,
      clientId: normaliseId(clientId),
      claims: payload,
    })
  }

  /**
   * Entra always sets `exp`, and issues tokens for an hour or so (entra.md §4.2): a token without
   * one, or one that lives longer than --max-token-lifetime (from `iat`, or from now when it has
   * none or claims a later one), would never expire.
   */
  function checkLifetime(payload: JWTPayload, now: Date): void {
    const { exp, iat } = payload
    if (typeof exp !== 'number') throw errors.invalidToken('The token has no expiry (exp).')
    const seconds = Math.floor(now.getTime() / 1000)
    const issued = typeof iat === 'number' ? Math.min(iat, seconds) : seconds
    if (exp - issued > maxLifetime + CLOCK_SKEW_SECONDS) {
      throw errors.invalidToken(`The token lives longer than ${maxLifetime} seconds (exp - iat).`)
    }
  }

  return Object.assign(verify, {
    /**
     * The caller of a token verified before, synchronously: undefined when it must be verified
     * (call `verify`), a 401 thrown when it has expired since. Lets a request gate skip a promise.
     */
    cached: (authorization: string | undefined): Caller | undefined =>
      authorization === undefined ? undefined : fromCache(authorization, deps.clock.now()),
  })
}
export type TokenVerifier = ReturnType<typeof createTokenVerifier>
