import { createHash, randomBytes, X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'

import { ClientCertificateCredential, ClientSecretCredential } from '@azure/identity'
import {
  ConfidentialClientApplication,
  PublicClientApplication,
  type AuthenticationResult,
} from '@azure/msal-node'
import { describe, expect, it } from 'vitest'

import { createCertificate } from '../../server/tls/certificates.ts'
import { ADMIN, API, CONTOSO, FABRIKAM } from '../helpers/demo.ts'
import { FLOW_SCOPE, PUBLIC_CLIENT } from '../helpers/entra.ts'
import { startHttpsEmulator } from '../helpers/https-emulator.ts'

/**
 * The real, unmodified @azure/msal-node and @azure/identity, over HTTPS, trusting the emulator's
 * CA through NODE_EXTRA_CA_CERTS, then calling the emulated API with the tokens they got.
 */

const APP = CONTOSO.automationApp.clientId
const pem = readFileSync('fixtures/certs/contoso-automation.pem', 'utf8')
const certificatePem = pem.slice(0, pem.indexOf('-----END CERTIFICATE-----') + 25)
const privateKey = pem.slice(pem.indexOf('-----BEGIN PRIVATE KEY'))
const x509 = new X509Certificate(certificatePem)
const thumbprintSha256 = x509.fingerprint256.replace(/:/g, '')
const thumbprint = x509.fingerprint.replace(/:/g, '')
const SCOPES = [FLOW_SCOPE]

type Emulator = Awaited<ReturnType<typeof startHttpsEmulator>>

const cca = (e: Emulator, auth: Record<string, unknown>, tenant: string = CONTOSO.tenantId) =>
  new ConfidentialClientApplication({
    auth: { clientId: APP, authority: `${e.httpsUrl}/${tenant}`, knownAuthorities: [e.host], ...auth },
  })
const pca = (e: Emulator, tenant: string = CONTOSO.tenantId) =>
  new PublicClientApplication({
    auth: { clientId: PUBLIC_CLIENT, authority: `${e.httpsUrl}/${tenant}`, knownAuthorities: [e.host] },
  })
const identityOptions = (e: Emulator) => ({ authorityHost: e.httpsUrl, disableInstanceDiscovery: true })

/** Calls the emulated API over HTTPS, as a client would with the token it got. */
async function api(e: Emulator, token: string, path: string, method = 'GET'): Promise<Response> {
  return fetch(`${e.httpsUrl}${ADMIN}${path}${path.includes('?') ? '&' : '?'}${API}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
  })
}
const permissionsOfInvoice = `/environments/~default/flows/${CONTOSO.flows.invoiceApproval}/permissions`

async function rejection(promise: Promise<unknown>): Promise<Error & { errorCode?: string }> {
  try {
    await promise
  } catch (error) {
    return error as Error & { errorCode?: string }
  }
  throw new Error('expected a rejection')
}

describe('@azure/msal-node', () => {
  it('ConfidentialClientApplication with the secret; the token works and comes from the cache the second time', async () => {
    const e = await startHttpsEmulator()
    const app = cca(e, { clientSecret: 'contoso-automation-secret' })
    const first = await app.acquireTokenByClientCredential({ scopes: SCOPES })
    expect(first?.fromCache).toBe(false)
    expect((await api(e, first!.accessToken, permissionsOfInvoice)).status).toBe(200)
    const second = await app.acquireTokenByClientCredential({ scopes: SCOPES })
    expect(second?.fromCache).toBe(true)
  })

  it.each([
    ['thumbprintSha256 (PS256, x5t#S256)', { thumbprintSha256, privateKey }],
    ['the SHA-1 thumbprint (RS256, x5t)', { thumbprint, privateKey }],
  ])('ConfidentialClientApplication with the certificate: %s', async (_, clientCertificate) => {
    const e = await startHttpsEmulator()
    const result = await cca(e, { clientCertificate }).acquireTokenByClientCredential({ scopes: SCOPES })
    expect((await api(e, result!.accessToken, permissionsOfInvoice)).status).toBe(200)
  })

  it('PublicClientApplication with user name and password, then acquireTokenSilent from its cache', async () => {
    const e = await startHttpsEmulator()
    const app = pca(e)
    const result = await app.acquireTokenByUsernamePassword({
      scopes: SCOPES,
      username: CONTOSO.admin.upn,
      password: 'Demo!Passw0rd',
    })
    expect(result!.account?.username).toBe(CONTOSO.admin.upn)
    expect(result!.account?.tenantId).toBe(CONTOSO.tenantId)
    expect((await api(e, result!.accessToken, permissionsOfInvoice)).status).toBe(200)
    const silent = await app.acquireTokenSilent({ account: result!.account!, scopes: SCOPES })
    expect(silent.fromCache).toBe(true)
    expect(silent.accessToken).toBe(result!.accessToken)
    const refreshed = await app.acquireTokenSilent({
      account: result!.account!,
      scopes: SCOPES,
      forceRefresh: true,
    })
    expect(refreshed.fromCache).toBe(false)
    expect((await api(e, refreshed.accessToken, permissionsOfInvoice)).status).toBe(200)
  })

  it('PublicClientApplication with device code: the user approves at the emulator page', async () => {
    const e = await startHttpsEmulator()
    const result = await pca(e).acquireTokenByDeviceCode({
      scopes: SCOPES,
      deviceCodeCallback: (response) => {
        expect(response.verificationUri).toBe(`${e.httpsUrl}/devicelogin`)
        void fetch(response.verificationUri, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            user_code: response.userCode,
            username: CONTOSO.ppadmin.upn,
            password: 'Demo!Passw0rd',
          }),
        })
      },
    })
    expect(result!.account?.username).toBe(CONTOSO.ppadmin.upn)
    expect((await api(e, result!.accessToken, permissionsOfInvoice)).status).toBe(200)
  })

  it('PublicClientApplication with authorization code and PKCE', async () => {
    const e = await startHttpsEmulator()
    const app = pca(e)
    const verifier = randomBytes(32).toString('base64url')
    const challenge = createHash('sha256').update(verifier).digest('base64url')
    const redirectUri = 'http://localhost:3000/callback'
    const url = await app.getAuthCodeUrl({
      scopes: SCOPES,
      redirectUri,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      loginHint: CONTOSO.admin.upn,
    })
    const redirect = await fetch(url, { redirect: 'manual' })
    expect(redirect.status).toBe(302)
    const code = new URL(redirect.headers.get('location')!).searchParams.get('code')!
    const error = await rejection(
      app.acquireTokenByCode({
        code,
        scopes: SCOPES,
        redirectUri,
        codeVerifier: 'wrong-verifier-wrong-verifier-wrong-verifier',
      }),
    )
    expect(error.message).toContain('501481')
    const result = await app.acquireTokenByCode({ code, scopes: SCOPES, redirectUri, codeVerifier: verifier })
    expect(result.account?.username).toBe(CONTOSO.admin.upn)
    expect((await api(e, result.accessToken, permissionsOfInvoice)).status).toBe(200)
  })

  it("ConfidentialClientApplication (a web app) with authorization code to the app's registered URIs only", async () => {
    const e = await startHttpsEmulator()
    const app = cca(e, { clientSecret: 'contoso-automation-secret' })
    // The demo app registered http://localhost: a web app on a loopback port gets the code.
    const redirectUri = 'http://localhost:5173/'
    const url = await app.getAuthCodeUrl({ scopes: SCOPES, redirectUri, loginHint: CONTOSO.admin.upn })
    const redirect = await fetch(url, { redirect: 'manual' })
    expect(redirect.status).toBe(302)
    const location = new URL(redirect.headers.get('location')!)
    expect(location.origin + location.pathname).toBe(redirectUri)
    const result = await app.acquireTokenByCode({
      code: location.searchParams.get('code')!,
      scopes: SCOPES,
      redirectUri,
    })
    expect(result.account?.username).toBe(CONTOSO.admin.upn)
    expect((await api(e, result.accessToken, permissionsOfInvoice)).status).toBe(200)

    const elsewhere = 'https://evil.example/signin-oidc'
    const refused = await fetch(
      await app.getAuthCodeUrl({ scopes: SCOPES, redirectUri: elsewhere, loginHint: CONTOSO.admin.upn }),
      { redirect: 'manual' },
    )
    expect(refused.status).toBe(400)
    expect(refused.headers.get('location')).toBeNull()
    expect(await refused.text()).toContain(`AADSTS50011: The redirect URI &#39;${elsewhere}&#39; specified`)
  })
})

describe('@azure/identity', () => {
  it('ClientSecretCredential and ClientCertificateCredential (PEM) with authorityHost and disableInstanceDiscovery', async () => {
    const e = await startHttpsEmulator()
    const secret = await new ClientSecretCredential(
      CONTOSO.tenantId,
      APP,
      'contoso-automation-secret',
      identityOptions(e),
    ).getToken(FLOW_SCOPE)
    expect((await api(e, secret.token, permissionsOfInvoice)).status).toBe(200)
    const certificate = await new ClientCertificateCredential(
      CONTOSO.tenantId,
      APP,
      { certificate: pem },
      identityOptions(e),
    ).getToken(FLOW_SCOPE)
    expect((await api(e, certificate.token, permissionsOfInvoice)).status).toBe(200)
    expect(certificate.expiresOnTimestamp).toBeGreaterThan(Date.now() + 3000 * 1000)
  })
})

describe('errors, as the libraries surface them (the AADSTS code reaches the caller)', () => {
  const stranger = createCertificate({ commonName: 'not registered', notBefore: new Date(), validDays: 30 })
  const strangerX509 = new X509Certificate(stranger.certificatePem)

  const cases: [string, (e: Emulator) => Promise<unknown>, string][] = [
    [
      'wrong secret (identity)',
      (e) =>
        new ClientSecretCredential(CONTOSO.tenantId, APP, 'wrong', identityOptions(e)).getToken(FLOW_SCOPE),
      '7000215',
    ],
    [
      'wrong secret (msal)',
      (e) => cca(e, { clientSecret: 'wrong' }).acquireTokenByClientCredential({ scopes: SCOPES }),
      '7000215',
    ],
    [
      'unknown app',
      (e) =>
        new ConfidentialClientApplication({
          auth: {
            clientId: '00000000-1111-2222-3333-444444444444',
            clientSecret: 'x',
            authority: `${e.httpsUrl}/${CONTOSO.tenantId}`,
            knownAuthorities: [e.host],
          },
        }).acquireTokenByClientCredential({ scopes: SCOPES }),
      '700016',
    ],
    [
      'bad scope',
      (e) =>
        cca(e, { clientSecret: 'contoso-automation-secret' }).acquireTokenByClientCredential({
          scopes: ['https://example.com//.default'],
        }),
      '500011',
    ],
    [
      'client credentials without /.default',
      (e) =>
        cca(e, { clientSecret: 'contoso-automation-secret' }).acquireTokenByClientCredential({
          scopes: ['https://service.flow.microsoft.com/user_impersonation'],
        }),
      '1002012',
    ],
    [
      'unregistered certificate',
      (e) =>
        cca(e, {
          clientCertificate: {
            thumbprintSha256: strangerX509.fingerprint256.replace(/:/g, ''),
            privateKey: stranger.privateKeyPem,
          },
        }).acquireTokenByClientCredential({ scopes: SCOPES }),
      '700027',
    ],
    [
      'bad assertion signature',
      (e) =>
        cca(e, {
          clientCertificate: { thumbprintSha256, privateKey: stranger.privateKeyPem },
        }).acquireTokenByClientCredential({ scopes: SCOPES }),
      '700027',
    ],
    [
      'wrong password',
      (e) =>
        pca(e).acquireTokenByUsernamePassword({
          scopes: SCOPES,
          username: CONTOSO.admin.upn,
          password: 'wrong',
        }),
      '50126',
    ],
    [
      'bad refresh token',
      (e) => pca(e).acquireTokenByRefreshToken({ scopes: SCOPES, refreshToken: 'not-a-refresh-token' }),
      '70000',
    ],
  ]
  it.each(cases)('%s', async (_, attempt, code) => {
    const e = await startHttpsEmulator()
    expect((await rejection(attempt(e))).message).toContain(code)
  })

  it('unknown tenant: MSAL fails discovery (endpoints_resolution_error); with metadata given, AADSTS90002 reaches it', async () => {
    const e = await startHttpsEmulator()
    const tenant = 'nowhere.onmicrosoft.com'
    const discovery = await rejection(
      cca(e, { clientSecret: 'x' }, tenant).acquireTokenByClientCredential({ scopes: SCOPES }),
    )
    expect(discovery.errorCode).toBe('endpoints_resolution_error')
    const metadata = await (
      await fetch(`${e.httpsUrl}/${CONTOSO.tenantId}/v2.0/.well-known/openid-configuration`)
    ).text()
    const app = cca(
      e,
      { clientSecret: 'x', authorityMetadata: metadata.replaceAll(CONTOSO.tenantId, tenant) },
      tenant,
    )
    expect((await rejection(app.acquireTokenByClientCredential({ scopes: SCOPES }))).message).toContain(
      '90002',
    )
  })

  // MSAL reports an expired device code by its OAuth error, dropping the AADSTS number (the raw
  // 70019 response is pinned in interactive.test.ts).
  it('expired device code: expired_token', async () => {
    const e = await startHttpsEmulator()
    const error = await rejection(
      pca(e).acquireTokenByDeviceCode({
        scopes: SCOPES,
        deviceCodeCallback: () => e.clock.advance(901),
      }),
    )
    expect(error.message).toContain('expired_token')
  })
})

describe('who may call, with tokens from the libraries', () => {
  it('the maker gets 403, the reporting app 403, the management app 403 on user details, Fabrikam sees nothing of Contoso', async () => {
    const e = await startHttpsEmulator()
    const maker = (await pca(e).acquireTokenByUsernamePassword({
      scopes: SCOPES,
      username: CONTOSO.maker.upn,
      password: 'Demo!Passw0rd',
    })) as AuthenticationResult
    const makerCall = await api(e, maker.accessToken, permissionsOfInvoice)
    expect(makerCall.status).toBe(403)
    expect(((await makerCall.json()) as { error: { code: string } }).error.code).toBe('AuthorizationFailed')

    const reporting = await new ClientSecretCredential(
      CONTOSO.tenantId,
      CONTOSO.reportingApp.clientId,
      'contoso-reporting-secret',
      identityOptions(e),
    ).getToken(FLOW_SCOPE)
    expect((await api(e, reporting.token, permissionsOfInvoice)).status).toBe(403)

    const management = await new ClientSecretCredential(
      CONTOSO.tenantId,
      APP,
      'contoso-automation-secret',
      identityOptions(e),
    ).getToken(FLOW_SCOPE)
    const details = await api(e, management.token, `/users/${CONTOSO.analyst.id}`)
    expect(details.status).toBe(403)
    expect(((await details.json()) as { error: { message: string } }).error.message).toBe(
      'Service Principal authentication is not supported for administrative actions involving user details.',
    )

    const admin = (await pca(e).acquireTokenByUsernamePassword({
      scopes: SCOPES,
      username: CONTOSO.admin.upn,
      password: 'Demo!Passw0rd',
    })) as AuthenticationResult
    expect((await api(e, admin.accessToken, `/users/${CONTOSO.analyst.id}`)).status).toBe(200)

    const fabrikam = await new ClientSecretCredential(
      FABRIKAM.tenantId,
      FABRIKAM.opsApp.clientId,
      'fabrikam-ops-secret',
      identityOptions(e),
    ).getToken(FLOW_SCOPE)
    // ~default is Fabrikam's own default environment for a Fabrikam caller: Contoso's flow is not there.
    expect((await api(e, fabrikam.token, permissionsOfInvoice)).status).toBe(404)
    const contosoFlow = `/environments/${CONTOSO.defaultEnv}/flows/${CONTOSO.flows.invoiceApproval}/permissions`
    expect((await api(e, fabrikam.token, contosoFlow)).status).toBe(403)
    expect((await api(e, fabrikam.token, `/environments/${CONTOSO.defaultEnv}/flows`)).status).toBe(403)
    const own = (await (await api(e, fabrikam.token, '/environments/~default/flows')).json()) as {
      value: { name: string }[]
    }
    expect(own.value.map((f) => f.name)).toEqual([FABRIKAM.onboardingFlow])
  })
})
