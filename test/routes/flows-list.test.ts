import { describe, expect, it } from 'vitest'

import { expectServiceError } from '../helpers/assertions.ts'
import { buildTestApp } from '../helpers/build-test-app.ts'
import { ADMIN, API, CONTOSO } from '../helpers/demo.ts'

async function appWithFlows(extra: number) {
  // Called by Microsoft's name, as through the proxy or a hosts-file entry (--allowed-hosts).
  const t = await buildTestApp({ allowedHosts: [{ host: 'api.flow.microsoft.com', port: undefined }] })
  const { repos } = t.app
  for (let i = 0; i < extra; i++) {
    repos.flows.insert({
      environment: CONTOSO.productionEnv,
      name: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      display_name: `Generated ${i}`,
      state: 'Started',
      created_time: '2025-01-01T00:00:00.0000000Z',
      last_modified_time: '2025-01-01T00:00:00.0000000Z',
      creator_id: CONTOSO.maker.id,
      creator_type: 'User',
      deleted_time: null,
    })
  }
  const token = await t.mint({ user: CONTOSO.ppadmin.upn })
  return { ...t, token }
}

const names = (body: { value: { name: string }[] }) => body.value.map((f) => f.name)

describe.each(['flows', 'v2/flows'])('GET .../environments/{env}/%s', (collection) => {
  const listUrl = (query = API) => `${ADMIN}/environments/${CONTOSO.productionEnv}/${collection}?${query}`

  it('returns every flow of the environment in one page when there are few, without nextLink', async () => {
    const t = await appWithFlows(0)
    const res = await t.as(t.token, { method: 'GET', url: listUrl() })
    expect(res.statusCode).toBe(200)
    expect(names(res.json())).toEqual(
      [CONTOSO.flows.quarterlyClose, '9e2ddc90-8e23-4ec6-96be-6a5214d7c766'].sort(),
    )
    expect(res.json()).not.toHaveProperty('nextLink')
  })

  it('pages by 50 with an absolute nextLink that a client follows to the end', async () => {
    const t = await appWithFlows(120)
    const seen: string[] = []
    let url: string | undefined = listUrl()
    const pageSizes: number[] = []
    while (url) {
      const res = await t.as(t.token, { method: 'GET', url, headers: { host: 'api.flow.microsoft.com' } })
      expect(res.statusCode).toBe(200)
      const body = res.json<{ value: { name: string }[]; nextLink?: string }>()
      pageSizes.push(body.value.length)
      seen.push(...names(body))
      if (body.nextLink) {
        expect(body.nextLink).toMatch(
          /^http:\/\/api\.flow\.microsoft\.com\/providers\/Microsoft\.ProcessSimple\/scopes\/admin\//,
        )
        expect(body.nextLink).toContain('api-version=2016-11-01')
        const next: URL = new URL(body.nextLink)
        url = next.pathname + next.search
      } else url = undefined
    }
    expect(pageSizes).toEqual([50, 50, 22])
    expect(seen).toHaveLength(122)
    expect(new Set(seen).size).toBe(122)
  })

  it('honours $top', async () => {
    const t = await appWithFlows(10)
    const res = await t.as(t.token, { method: 'GET', url: listUrl(`${API}&$top=5`) })
    expect(res.json().value).toHaveLength(5)
    expect(new URL(res.json().nextLink).searchParams.get('$top')).toBe('5')
  })

  it.each(['0', '251', 'abc', '-1', '1.5'])('refuses $top=%s with 400 InvalidRequestContent', async (top) => {
    const t = await appWithFlows(0)
    const res = await t.as(t.token, { method: 'GET', url: listUrl(`${API}&$top=${top}`) })
    expectServiceError(res, { status: 400, code: 'InvalidRequestContent', message: /\$top/ })
  })

  it('refuses a $skiptoken it did not issue', async () => {
    const t = await appWithFlows(0)
    const res = await t.as(t.token, { method: 'GET', url: listUrl(`${API}&$skiptoken=not*a*token`) })
    expectServiceError(res, { status: 400, code: 'InvalidRequestContent', message: /\$skiptoken/ })
  })
})
