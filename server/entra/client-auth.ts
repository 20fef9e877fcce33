import { X509Certificate } from 'node:crypto'

import { decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose'

import { CLOCK_SKEW_SECONDS } from '../auth/token-verifier.ts'
import { entraErrors } from '../errors/index.ts'
import { sha1Thumbprint, sha256Thumbprint } from '../tls/certificates.ts'
import type { Client } from './clients.ts'
import type { TokenServices } from './token-services.ts'

export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

/** How the client proved itself: `appidacr` 0 (public), 1 (secret) or 2 (certificate). */
export type ClientAuthentication = '0' | '1' | '2'

export interface ClientCredentials {
  clientSecret: string | undefined
  clientAssertion: string | undefined
  clientAssertionType: string | undefined
}

/**
 * Authenticates a confidential client by secret or by a certificate-signed assertion (entra.md §2),
 * and refuses credentials from a public client. `audiences` are the token endpoint URLs the
 * assertion may name as `aud`.
 */
export async function authenticateClient(
  ctx: TokenServices,
  client: Client,
  credentials: ClientCredentials,
  audiences: string[],
  options: { required: boolean },
): Promise<ClientAuthentication> {
  const { clientSecret, clientAssertion } = credentials
  if (client.kind === 'public') {
    if (clientSecret !== undefined || clientAssertion !== undefined)
      throw entraErrors.publicClientWithCredential()
    if (options.required) throw entraErrors.missingClientCredential()
    return '0'
  }
  if (clientSecret !== undefined) {
    if (!client.app.secrets.includes(clientSecret)) throw entraErrors.invalidClientSecret(client.clientId)
    return '1'
  }
  if (clientAssertion !== undefined) {
    if (credentials.clientAssertionType !== JWT_BEARER_ASSERTION) {
      throw entraErrors.malformedRequest(`client_assertion_type must be '${JWT_BEARER_ASSERTION}'.`)
    }
    await verifyAssertion(ctx, client.clientId, client.app.certificates, clientAssertion, audiences)
    return '2'
  }
  throw entraErrors.missingClientCredential()
}

async function verifyAssertion(
  ctx: TokenServices,
  clientId: string,
  certificates: string[],
  assertion: string,
  audiences: string[],
): Promise<void> {
  let header: ReturnType<typeof decodeProtectedHeader>
  try {
    header = decodeProtectedHeader(assertion)
  } catch {
    throw entraErrors.assertionInvalid('The client assertion is not a JWT.')
  }
  const sha256 = thumbprintOf(header['x5t#S256'])
  const sha1 = thumbprintOf(header.x5t)
  if (!sha256 && !sha1) throw entraErrors.assertionWithoutThumbprint()
  const certificate = certificates.find((pem) =>
    sha256 ? sha256Thumbprint(pem) === sha256 : sha1Thumbprint(pem) === sha1,
  )
  const thumbprint = sha256 ?? sha1 ?? ''
  if (!certificate) throw entraErrors.certificateNotRegistered(thumbprint, clientId)

  const now = ctx.clock.now()
  let payload
  try {
    ;({ payload } = await jwtVerify(assertion, new X509Certificate(certificate).publicKey, {
      algorithms: ['RS256', 'PS256'],
      clockTolerance: CLOCK_SKEW_SECONDS,
      currentDate: now,
    }))
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw entraErrors.assertionExpired()
    if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'nbf')
      throw entraErrors.assertionExpired()
    if (error instanceof joseErrors.JOSEAlgNotAllowed)
      throw entraErrors.assertionInvalid('The algorithm must be RS256 or PS256.')
    throw entraErrors.assertionSignatureInvalid(thumbprint)
  }
  if (typeof payload.exp !== 'number')
    throw entraErrors.assertionInvalid("The client assertion has no 'exp' claim.")
  if (payload.iss?.toLowerCase() !== clientId || payload.sub?.toLowerCase() !== clientId) {
    throw entraErrors.assertionSubjectMismatch()
  }
  const audience = Array.isArray(payload.aud) ? payload.aud[0] : payload.aud
  const wanted = audiences.map((a) => a.toLowerCase())
  if (typeof audience !== 'string' || !wanted.includes(audience.toLowerCase())) {
    throw entraErrors.assertionInvalid(`The audience '${String(audience)}' is not this token endpoint.`)
  }
  if (typeof payload.jti !== 'string' || payload.jti === '') {
    throw entraErrors.assertionInvalid("The client assertion has no 'jti' claim.")
  }
  // A reused jti is accepted until the assertion expires, as Entra does: MSAL Node and MSAL Python
  // sign one assertion and send it for every token they need in the next 600 s (entra.md §2.1).
}

/**
 * A thumbprint header (`x5t`, `x5t#S256`) as base64url, whichever alphabet and padding the client
 * wrote: MSAL Python writes base64 with `=`, others base64url without. Anything that is not base64
 * counts as absent.
 */
function thumbprintOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return undefined
  return Buffer.from(value, 'base64').toString('base64url')
}
