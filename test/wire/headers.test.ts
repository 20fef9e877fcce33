import request from 'supertest'
import { describe, expect, it } from 'vitest'

import { buildTestApp } from '../helpers/build-test-app.ts'
import { ADMIN, API, CONTOSO } from '../helpers/demo.ts'

/** Wire-level checks on the real HTTP server (no listen: supertest binds app.server itself). */
async function setup() {
  const t = await buildTestApp()
  await t.app.ready()
  return { http: request(t.app.server), token: await t.mint({ user: CONTOSO.admin.upn }) }
}
const flow = `${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}`

describe('on the wire', () => {
  it('a bodiless 200 has Content-Length 0 and no Content-Type', async () => {
    const { http, token } = await setup()
    const res = await http
      .post(`${flow}/stop?${API}`)
      .set('authorization', `Bearer ${token}`)
      .set('content-type', 'application/json')
      .send('')
    expect(res.status).toBe(200)
    expect(res.headers['content-length']).toBe('0')
    expect(res.headers['content-type']).toBeUndefined()
    expect(res.text).toBe('')
  })

  it('a DELETE of a missing flow is 204 with no body and no Content-Type', async () => {
    const { http, token } = await setup()
    const res = await http
      .delete(`${ADMIN}/environments/~default/flows/missing?${API}`)
      .set('authorization', `Bearer ${token}`)
    expect(res.status).toBe(204)
    expect(res.headers['content-type']).toBeUndefined()
    expect(res.text).toBe('')
  })

  it('JSON responses are application/json; charset=utf-8 with the ids', async () => {
    const { http, token } = await setup()
    const res = await http
      .get(`${flow}/permissions?${API}`)
      .set('authorization', `Bearer ${token}`)
      .set('x-ms-correlation-request-id', '0f8fad5b-d9cb-469f-a165-70867728950e')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(res.headers['x-ms-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    expect(res.headers['x-ms-correlation-request-id']).toBe('0f8fad5b-d9cb-469f-a165-70867728950e')
  })

  it('a 401 carries WWW-Authenticate', async () => {
    const { http } = await setup()
    const res = await http.get(`${flow}?${API}`)
    expect(res.status).toBe(401)
    expect(res.headers['www-authenticate']).toBe(
      'Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="The access token is missing."',
    )
    expect(res.body).toEqual({
      error: {
        code: 'AuthenticationFailed',
        message: "Authentication failed. The 'Authorization' header is missing.",
      },
    })
  })

  it('serves the OpenAPI document as JSON and YAML', async () => {
    const { http } = await setup()
    const json = await http.get('/openapi.json')
    expect(json.status).toBe(200)
    expect(json.body.openapi).toBe('3.1.0')
    const yaml = await http.get('/openapi.yaml')
    expect(yaml.status).toBe(200)
    expect(yaml.headers['content-type']).toMatch(/^application\/yaml/)
    expect(yaml.text).toMatch(/^openapi: 3\.1\.0/)
  })
})
