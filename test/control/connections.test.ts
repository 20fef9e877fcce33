import { readFileSync } from 'node:fs'

import { describe, expect, it } from 'vitest'

import { createCertificate } from '../../server/tls/certificates.ts'
import { expectServiceError } from '../helpers/assertions.ts'
import { buildTestApp, TEST_NOW } from '../helpers/build-test-app.ts'
import { CERT_OAUTH, FIRST_PARTY, viaConnector } from '../helpers/connector.ts'
import { CONTOSO } from '../helpers/demo.ts'

const PFX = readFileSync('fixtures/certs/contoso-automation.pfx').toString('base64')

describe('/_emulator/connections', () => {
  it('lists the demo connections, one of each type for the admin, without secrets', async () => {
    const t = await buildTestApp()
    const res = await t.app.inject({
      method: 'GET',
      url: '/_emulator/connections?tenant=contoso.onmicrosoft.com',
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().value).toEqual([
      {
        id: CERT_OAUTH,
        tenantId: CONTOSO.tenantId,
        owner: CONTOSO.admin.id,
        authType: 'CertOauth',
        clientId: CONTOSO.automationApp.clientId,
        createdTime: expect.any(String),
      },
      {
        id: FIRST_PARTY,
        tenantId: CONTOSO.tenantId,
        owner: CONTOSO.admin.id,
        authType: 'firstParty',
        createdTime: expect.any(String),
      },
    ])
    expect(res.body).not.toContain('emulator')
    expect(
      (await t.app.inject({ method: 'GET', url: '/_emulator/connections?tenant=fabrikam' })).json().value,
    ).toEqual([])
  })

  it('creates a firstParty connection (with a generated id) and a CertOauth one, and deletes them', async () => {
    const t = await buildTestApp()
    const first = await t.app.inject({
      method: 'POST',
      url: '/_emulator/connections',
      payload: { tenant: 'contoso', owner: CONTOSO.ppadmin.upn, authType: 'firstParty' },
    })
    expect(first.statusCode).toBe(201)
    expect(first.json()).toEqual({
      id: expect.stringMatching(/^shared-microsoftflowforadmins-[0-9a-f]{32}$/),
      tenantId: CONTOSO.tenantId,
      owner: CONTOSO.ppadmin.id,
      authType: 'firstParty',
      createdTime: TEST_NOW.replace('.000Z', '.0000000Z'),
    })
    const token = await t.mint({ user: CONTOSO.ppadmin.upn })
    expect(
      (
        await t.as(token, {
          method: 'GET',
          url: viaConnector(first.json().id, `/users/${CONTOSO.analyst.id}`),
        })
      ).statusCode,
    ).toBe(200)

    const cert = await t.app.inject({
      method: 'POST',
      url: '/_emulator/connections',
      payload: {
        id: 'pp-cert',
        tenant: CONTOSO.tenantId,
        owner: CONTOSO.ppadmin.id,
        authType: 'CertOauth',
        clientId: CONTOSO.automationApp.clientId,
        pfxBase64: PFX,
        password: 'emulator',
      },
    })
    expect(cert.statusCode).toBe(201)
    expect(cert.json()).toMatchObject({
      id: 'pp-cert',
      authType: 'CertOauth',
      clientId: CONTOSO.automationApp.clientId,
    })

    expect((await t.app.inject({ method: 'DELETE', url: '/_emulator/connections/pp-cert' })).statusCode).toBe(
      204,
    )
    expectServiceError(await t.app.inject({ method: 'DELETE', url: '/_emulator/connections/pp-cert' }), {
      status: 404,
      code: 'ConnectionNotFound',
    })
  })

  it.each([
    [
      'an existing id',
      { id: FIRST_PARTY, tenant: 'contoso', owner: CONTOSO.admin.upn, authType: 'firstParty' },
      409,
      'ConnectionExists',
    ],
    [
      'an unknown tenant',
      { tenant: 'nowhere', owner: CONTOSO.admin.upn, authType: 'firstParty' },
      404,
      'TenantNotFound',
    ],
    [
      'an unknown owner',
      { tenant: 'contoso', owner: 'ghost@contoso.onmicrosoft.com', authType: 'firstParty' },
      400,
      'InvalidConnection',
    ],
    [
      'CertOauth without its certificate',
      {
        tenant: 'contoso',
        owner: CONTOSO.admin.upn,
        authType: 'CertOauth',
        clientId: CONTOSO.automationApp.clientId,
      },
      400,
      'InvalidConnection',
    ],
    [
      'the wrong PFX password',
      {
        tenant: 'contoso',
        owner: CONTOSO.admin.upn,
        authType: 'CertOauth',
        clientId: CONTOSO.automationApp.clientId,
        pfxBase64: PFX,
        password: 'nope',
      },
      400,
      'InvalidConnection',
    ],
    [
      'a certificate the app has not registered',
      {
        tenant: 'contoso',
        owner: CONTOSO.admin.upn,
        authType: 'CertOauth',
        clientId: CONTOSO.reportingApp.clientId,
        pfxBase64: PFX,
        password: 'emulator',
      },
      400,
      'InvalidConnection',
    ],
    [
      'an id that is not URL-safe',
      { id: 'a b', tenant: 'contoso', owner: CONTOSO.admin.upn, authType: 'firstParty' },
      400,
      'InvalidRequestContent',
    ],
    [
      'an unknown field',
      { tenant: 'contoso', owner: CONTOSO.admin.upn, authType: 'firstParty', shared: true },
      400,
      'InvalidRequestContent',
    ],
  ])('refuses %s', async (_, payload, status, code) => {
    const t = await buildTestApp()
    expectServiceError(await t.app.inject({ method: 'POST', url: '/_emulator/connections', payload }), {
      status,
      code,
    })
  })

  it('answers only loopback clients', async () => {
    const t = await buildTestApp()
    expectServiceError(
      await t.app.inject({ method: 'GET', url: '/_emulator/connections', remoteAddress: '192.0.2.10' }),
      {
        status: 403,
        code: 'ControlPlaneForbidden',
      },
    )
  })

  it('a fixture connection whose certificate is not registered stops start-up, naming the path', async () => {
    const doc = JSON.parse(readFileSync('fixtures/demo-tenant.json', 'utf8'))
    const other = createCertificate({ commonName: 'x', notBefore: new Date(TEST_NOW), validDays: 1 })
    doc.tenants[0].apps[0].certificates = [{ certificatePem: other.certificatePem }]
    await expect(buildTestApp({ fixtures: doc })).rejects.toThrow(
      /^Fixture document: \/tenants\/0\/connections\/1: the certificate in the PFX .* is not registered/,
    )
  })
})
