import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto'
import { readFileSync } from 'node:fs'

import { SignJWT } from 'jose'

import { sha256Thumbprint } from '../../server/tls/certificates.ts'
import { TEST_NOW } from './build-test-app.ts'
import { CONTOSO } from './demo.ts'
import { FLOW_SCOPE } from './entra.ts'

/** Client assertions (certificate credentials) of the demo automation app, as MSAL signs them. */
export const NOW = Math.floor(new Date(TEST_NOW).getTime() / 1000)
export const APP = CONTOSO.automationApp.clientId
export const SECRET = 'contoso-automation-secret'
const pem = readFileSync('fixtures/certs/contoso-automation.pem', 'utf8')
export const appKey = createPrivateKey(pem.slice(pem.indexOf('-----BEGIN PRIVATE KEY')))
export const appCert = pem.slice(0, pem.indexOf('-----END CERTIFICATE-----') + 25)

export async function assertion(options: {
  key?: KeyObject
  header?: Record<string, unknown>
  claims?: Record<string, unknown>
  aud?: string
}): Promise<string> {
  const aud = options.aud ?? `http://localhost:80/${CONTOSO.tenantId}/oauth2/v2.0/token`
  const claims = {
    jti: randomUUID(),
    iss: APP,
    sub: APP,
    aud,
    iat: NOW,
    nbf: NOW,
    exp: NOW + 600,
    ...options.claims,
  }
  return new SignJWT(claims)
    .setProtectedHeader({
      alg: 'PS256',
      typ: 'JWT',
      'x5t#S256': sha256Thumbprint(appCert),
      ...options.header,
    })
    .sign(options.key ?? appKey)
}
export const withAssertion = (jwt: string) => ({
  grant_type: 'client_credentials',
  client_id: APP,
  scope: FLOW_SCOPE,
  client_assertion: jwt,
  client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
})
