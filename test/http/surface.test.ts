import Fastify from 'fastify'
import { describe, expect, it, onTestFinished } from 'vitest'

import { markSurface, surfaceOfRequest, surfaceOfRoute, type SurfaceName } from '../../server/http/surface.ts'
import { buildTestApp } from '../helpers/build-test-app.ts'
import { ADMIN, API, CONTOSO } from '../helpers/demo.ts'

describe('markSurface', () => {
  it("marks the routes of its plugin and the plugin's children, not its parent's; a child may mark its own", async () => {
    const app = Fastify()
    onTestFinished(() => app.close())
    const seen: Record<string, SurfaceName | undefined> = {}
    app.addHook('onRoute', (route) => {
      // Registered first, this hook runs before a surface's own: it reads the surface later.
      queueMicrotask(() => (seen[route.url] = surfaceOfRoute(route)))
    })
    const answer = async (request: Parameters<typeof surfaceOfRequest>[0]) => ({
      surface: surfaceOfRequest(request) ?? null,
    })
    app.get('/root', answer)
    await app.register(async (graph) => {
      markSurface(graph, 'graph')
      graph.get('/graph', answer)
      await graph.register(async (child) => {
        child.get('/graph/child', answer)
      })
      await graph.register(async (docs) => {
        markSurface(docs, 'docs')
        docs.get('/graph/docs', answer)
      })
    })
    const surfaceAt = async (url: string) =>
      (await app.inject({ url })).json<{ surface: string | null }>().surface
    expect(await surfaceAt('/root')).toBeNull()
    expect(await surfaceAt('/graph')).toBe('graph')
    expect(await surfaceAt('/graph/child')).toBe('graph')
    expect(await surfaceAt('/graph/docs')).toBe('docs')
    expect(seen).toEqual({
      '/root': undefined,
      '/graph': 'graph',
      '/graph/child': 'graph',
      '/graph/docs': 'docs',
    })
  })
})

describe("the app's surfaces, from its routes' config", () => {
  it('journals a call by the surface of its route, and not the control plane or the documents', async () => {
    const t = await buildTestApp()
    const token = await t.mint({ user: CONTOSO.admin.upn })
    await t.as(token, { method: 'GET', url: `${ADMIN}/environments/~default/flows?${API}` })
    await t.app.inject({ method: 'GET', url: '/openapi.json' })
    await t.app.inject({ method: 'GET', url: '/_emulator/health' })
    const journal = (await t.app.inject({ method: 'GET', url: '/_emulator/requests' })).json<{
      value: { surface: string; path: string }[]
    }>()
    expect(journal.value.map((e) => [e.surface, e.path])).toEqual([
      ['flow', `${ADMIN}/environments/~default/flows?${API}`],
    ])
  })
})
