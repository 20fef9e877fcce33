import { createHash, randomBytes } from 'node:crypto'

import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'

import { buildTestApp } from '../helpers/build-test-app.ts'
import { CONTOSO } from '../helpers/demo.ts'
import { expectEntraError, FLOW_SCOPE, postForm, PUBLIC_CLIENT, tokenUrl } from '../helpers/entra.ts'

const REDIRECT = 'http://localhost:3000/callback'
const verifier = randomBytes(32).toString('base64url')
const challenge = createHash('sha256').update(verifier).digest('base64url')
const authorizeUrl = (extra: Record<string, string> = {}) =>
  `/${CONTOSO.tenantId}/oauth2/v2.0/authorize?${new URLSearchParams({
    client_id: PUBLIC_CLIENT,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope: `${FLOW_SCOPE} openid profile offline_access`,
    state: 'xyz',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  }).toString()}`

const redeem = (code: string, extra: Record<string, string> = {}) => ({
  grant_type: 'authorization_code',
  client_id: PUBLIC_CLIENT,
  code,
  redirect_uri: REDIRECT,
  code_verifier: verifier,
  scope: FLOW_SCOPE,
  client_info: '1',
  ...extra,
})

function codeFrom(location: string | undefined): string {
  const url = new URL(location ?? '')
  expect(url.origin + url.pathname).toBe(REDIRECT)
  expect(url.searchParams.get('state')).toBe('xyz')
  return url.searchParams.get('code')!
}

describe('authorization code with PKCE', () => {
  it('shows a sign-in page listing the tenant users, escaped, with no external resources', async () => {
    const t = await buildTestApp()
    const res = await t.app.inject({ method: 'GET', url: authorizeUrl({ state: '"><script>x</script>' }) })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.body).toContain(`<option value="${CONTOSO.admin.upn}">`)
    expect(res.body).toContain('Microsoft Azure PowerShell')
    expect(res.body).not.toContain('<script>')
    expect(res.body).not.toMatch(/(src|href)="https?:/)
  })

  it('signs in through the page form and redeems the code once, with the right verifier', async () => {
    const t = await buildTestApp()
    const page = new URLSearchParams(authorizeUrl().split('?')[1])
    const wrong = await postForm(t.app, `/${CONTOSO.tenantId}/oauth2/v2.0/authorize`, {
      ...Object.fromEntries(page),
      username: CONTOSO.admin.upn,
      password: 'nope',
    })
    expect(wrong.statusCode).toBe(400)
    expect(wrong.body).toContain('Your account or password is incorrect.')
    const ok = await postForm(t.app, `/${CONTOSO.tenantId}/oauth2/v2.0/authorize`, {
      ...Object.fromEntries(page),
      username: CONTOSO.admin.upn,
      password: 'Demo!Passw0rd',
    })
    expect(ok.statusCode).toBe(302)
    const code = codeFrom(ok.headers.location)

    expectEntraError(await postForm(t.app, tokenUrl(), redeem(code, { code_verifier: 'not-the-verifier' })), {
      status: 400,
      error: 'invalid_grant',
      code: 501481,
    })
    expectEntraError(
      await postForm(t.app, tokenUrl(), redeem(code, { redirect_uri: 'http://localhost:3000/other' })),
      { status: 400, error: 'invalid_grant', code: 50011 },
    )
    const tokens = await postForm(t.app, tokenUrl(), redeem(code))
    expect(tokens.statusCode, tokens.body).toBe(200)
    expect(decodeJwt(tokens.json().access_token)).toMatchObject({
      oid: CONTOSO.admin.id,
      scp: 'user_impersonation',
    })
    expectEntraError(await postForm(t.app, tokenUrl(), redeem(code)), {
      status: 400,
      error: 'invalid_grant',
      code: 54005,
    })
  })

  it('login_hint signs in without a page; plain PKCE works; the nonce reaches the ID token', async () => {
    const t = await buildTestApp()
    const res = await t.app.inject({
      method: 'GET',
      url: authorizeUrl({
        login_hint: CONTOSO.ppadmin.upn,
        code_challenge: 'plain-verifier-0123456789012345678901234567',
        code_challenge_method: 'plain',
        nonce: 'n-1',
      }),
    })
    expect(res.statusCode).toBe(302)
    const tokens = await postForm(
      t.app,
      tokenUrl(),
      redeem(codeFrom(res.headers.location), {
        code_verifier: 'plain-verifier-0123456789012345678901234567',
      }),
    )
    expect(decodeJwt(tokens.json().id_token)).toMatchObject({ nonce: 'n-1', oid: CONTOSO.ppadmin.id })
  })

  it('prompt=none without a known user redirects back with login_required', async () => {
    const t = await buildTestApp()
    const res = await t.app.inject({ method: 'GET', url: authorizeUrl({ prompt: 'none' }) })
    const url = new URL(res.headers.location!)
    expect(url.searchParams.get('error')).toBe('login_required')
    expect(url.searchParams.get('state')).toBe('xyz')
  })

  it('the code expires after 10 minutes', async () => {
    const t = await buildTestApp()
    const res = await t.app.inject({ method: 'GET', url: authorizeUrl({ login_hint: CONTOSO.admin.upn }) })
    t.clock.advance(601)
    expectEntraError(await postForm(t.app, tokenUrl(), redeem(codeFrom(res.headers.location))), {
      status: 400,
      error: 'invalid_grant',
      code: 70008,
    })
  })

  it.each([
    ['no redirect_uri', { redirect_uri: '' }],
    ['a redirect_uri that is not http(s)', { redirect_uri: 'javascript:alert(1)' }],
    ['an unknown client', { client_id: '00000000-0000-0000-0000-000000000001' }],
    ['response_type token', { response_type: 'token' }],
  ])('%s: an error page, no redirect', async (_, extra) => {
    const t = await buildTestApp()
    const res = await t.app.inject({ method: 'GET', url: authorizeUrl(extra) })
    expect(res.statusCode).toBe(400)
    expect(res.headers.location).toBeUndefined()
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.body).toMatch(/AADSTS\d+: /)
  })
})

describe('the sign-in pages cannot be framed or misdirected', () => {
  const expectPageHeaders = (headers: Record<string, unknown>) => {
    expect(headers['content-security-policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    )
    expect(headers['x-frame-options']).toBe('DENY')
  }

  it('the authorize page, its error page and the device login page send a strict CSP and X-Frame-Options: DENY', async () => {
    const t = await buildTestApp()
    for (const url of [authorizeUrl(), authorizeUrl({ response_type: 'token' }), '/devicelogin']) {
      const res = await t.app.inject({ method: 'GET', url })
      expect(res.headers['content-type'], url).toBe('text/html; charset=utf-8')
      expectPageHeaders(res.headers)
    }
  })

  it.each([
    'https://evil.example/callback',
    'http://evil.example:3000/callback',
    'http://localhost.evil.example/callback',
    'http://user@localhost:3000/callback',
  ])('a public client with redirect_uri %s: AADSTS50011 on a page, no redirect', async (uri) => {
    const t = await buildTestApp()
    for (const res of [
      await t.app.inject({
        method: 'GET',
        url: authorizeUrl({ redirect_uri: uri, login_hint: CONTOSO.admin.upn }),
      }),
      await postForm(t.app, `/${CONTOSO.tenantId}/oauth2/v2.0/authorize`, {
        client_id: PUBLIC_CLIENT,
        response_type: 'code',
        redirect_uri: uri,
        scope: FLOW_SCOPE,
        username: CONTOSO.admin.upn,
        password: 'x',
      }),
    ]) {
      expect(res.statusCode).toBe(400)
      expect(res.headers.location).toBeUndefined()
      expect(res.body).toContain(
        `AADSTS50011: The redirect URI &#39;${uri}&#39; specified in the request does not match the redirect URIs configured for the application &#39;${PUBLIC_CLIENT}&#39;.`,
      )
    }
  })

  it('a public client may use http://localhost on any port', async () => {
    const t = await buildTestApp()
    for (const uri of ['http://localhost:51234/', 'http://127.0.0.1:8400/cb', 'http://localhost/']) {
      const res = await t.app.inject({
        method: 'GET',
        url: authorizeUrl({ redirect_uri: uri, login_hint: CONTOSO.admin.upn }),
      })
      expect(res.statusCode, uri).toBe(302)
      expect(res.headers.location).toMatch(new RegExp(`^${uri.replace(/[.]/g, '\\.')}\\?code=`))
    }
  })
})

describe('device code', () => {
  it('pending until the user approves at /devicelogin, then tokens once; both grant type spellings', async () => {
    for (const grantType of ['device_code', 'urn:ietf:params:oauth:grant-type:device_code']) {
      const t = await buildTestApp({ deviceCodeInterval: 1 })
      const started = await postForm(
        t.app,
        `/${CONTOSO.tenantId}/oauth2/v2.0/devicecode`,
        { client_id: PUBLIC_CLIENT, scope: `${FLOW_SCOPE} openid profile offline_access` },
        { host: 'localhost:7443' },
      )
      expect(started.statusCode).toBe(200)
      const body = started.json()
      expect(body).toMatchObject({
        verification_uri: 'http://localhost:7443/devicelogin',
        expires_in: 900,
        interval: 1,
      })
      expect(body.user_code).toMatch(/^[A-Z2-9]{8}$/)
      expect(body.message).toBe(
        `To sign in, use a web browser to open the page http://localhost:7443/devicelogin and enter the code ${body.user_code} to authenticate.`,
      )

      const poll = () =>
        postForm(t.app, tokenUrl(), {
          grant_type: grantType,
          client_id: PUBLIC_CLIENT,
          device_code: body.device_code,
          scope: FLOW_SCOPE,
        })
      expectEntraError(await poll(), { status: 400, error: 'authorization_pending', code: 70016 })

      const page = await t.app.inject({ method: 'GET', url: '/devicelogin' })
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain('name="user_code"')
      const badCode = await postForm(t.app, '/devicelogin', {
        user_code: 'WRONGONE',
        username: CONTOSO.admin.upn,
        password: 'Demo!Passw0rd',
      })
      expect(badCode.statusCode).toBe(400)
      const approved = await postForm(t.app, '/devicelogin', {
        user_code: body.user_code.toLowerCase(),
        username: CONTOSO.admin.upn,
        password: 'Demo!Passw0rd',
      })
      expect(approved.statusCode).toBe(200)
      expect(approved.body).toContain('is signed in')

      const tokens = await poll()
      expect(tokens.statusCode).toBe(200)
      expect(decodeJwt(tokens.json().access_token)['oid']).toBe(CONTOSO.admin.id)
      expectEntraError(await poll(), { status: 400, error: 'invalid_grant', code: 70000 })
    }
  })

  it('expires after 15 minutes: expired_token AADSTS70019', async () => {
    const t = await buildTestApp()
    const body = (
      await postForm(t.app, `/${CONTOSO.tenantId}/oauth2/v2.0/devicecode`, {
        client_id: PUBLIC_CLIENT,
        scope: FLOW_SCOPE,
      })
    ).json()
    t.clock.advance(901)
    expectEntraError(
      await postForm(t.app, tokenUrl(), {
        grant_type: 'device_code',
        client_id: PUBLIC_CLIENT,
        device_code: body.device_code,
      }),
      { status: 400, error: 'expired_token', code: 70019 },
    )
  })

  it('refuses a start without client_id or scope, or with an unknown client', async () => {
    const t = await buildTestApp()
    const url = `/${CONTOSO.tenantId}/oauth2/v2.0/devicecode`
    expectEntraError(await postForm(t.app, url, { scope: FLOW_SCOPE }), {
      status: 400,
      error: 'invalid_request',
      code: 900144,
    })
    expectEntraError(await postForm(t.app, url, { client_id: PUBLIC_CLIENT }), {
      status: 400,
      error: 'invalid_request',
      code: 900144,
    })
    expectEntraError(
      await postForm(t.app, url, { client_id: '00000000-0000-0000-0000-000000000001', scope: FLOW_SCOPE }),
      { status: 400, error: 'unauthorized_client', code: 700016 },
    )
  })
})
