import type { ServerResponse } from 'node:http'
import { readFileSync } from 'node:fs'

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { Type } from 'typebox'

import { controlPlaneErrors } from '../errors/index.ts'
import type { LiveEvent } from '../live-events.ts'
import { Overview } from '../../schemas/control.ts'
import { controlErrors, TAGS } from '../control/schemas.ts'
import { createAssetStore } from './assets.ts'
import { buildOverview } from './overview.ts'

/**
 * The page may load only its own files and talk only to its own origin: no CDN, no external
 * font, and a journal body can never run as script (the page also renders text, never HTML).
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

const KEEP_ALIVE_MS = 15_000

/**
 * The dashboard: the page at /_emulator/ui, its files, the overview it renders and the
 * live event stream. Registered inside the control plane, so the same access rule guards it.
 */
const dashboard: FastifyPluginAsyncTypebox = async (app) => {
  const assets = createAssetStore()
  const streams = new Set<ServerResponse>()

  const sendAsset = (name: string, reply: FastifyReply) => {
    if (name.endsWith('.js') && !assets.built()) throw controlPlaneErrors.dashboardNotBuilt()
    const asset = assets.get(name)
    if (!asset) throw controlPlaneErrors.assetNotFound(name)
    return reply
      .header('content-type', asset.contentType)
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .send(asset.body)
  }

  app.get('/_emulator/ui', { schema: { hide: true } }, async (_request, reply) => {
    if (!assets.built()) throw controlPlaneErrors.dashboardNotBuilt()
    return sendAsset('index.html', reply)
  })
  app.get(
    '/_emulator/ui/:file',
    { schema: { hide: true, params: Type.Object({ file: Type.String({ maxLength: 64 }) }) } },
    async (request, reply) => sendAsset(request.params.file, reply),
  )

  app.get(
    '/_emulator/overview',
    {
      schema: {
        operationId: 'Emulator-Overview',
        summary: "The dashboard's view: tenants, environments, flows, permissions, identities, URLs",
        tags: TAGS,
        response: { 200: Overview, ...controlErrors() },
      },
    },
    async () => buildOverview(app),
  )

  app.get(
    '/_emulator/ca.pem',
    {
      schema: {
        operationId: 'Emulator-CaCertificate',
        summary: "The local CA's certificate (PEM), for NODE_EXTRA_CA_CERTS or a trust store",
        tags: TAGS,
        produces: ['application/x-pem-file'],
        response: {
          200: {
            description: 'PEM certificate',
            content: { 'application/x-pem-file': { schema: Type.String() } },
          },
          ...controlErrors(404),
        },
      },
    },
    async (_request, reply) => {
      const path = app.endpoints.current().caCertificatePath
      if (!path) throw controlPlaneErrors.noCaCertificate()
      return reply
        .header('content-type', 'application/x-pem-file')
        .header('content-disposition', 'attachment; filename="power-automate-admin-emulator-ca.pem"')
        .send(readFileSync(path, 'utf8'))
    },
  )

  app.get(
    '/_emulator/events',
    {
      schema: {
        operationId: 'Emulator-Events',
        summary:
          'Server-sent events: `request` for each journaled request, `control` for each control-plane change',
        description:
          'A `gap` event means events were dropped because the client read too slowly: fetch the journal again.',
        tags: TAGS,
        response: {
          200: {
            description: 'An endless text/event-stream',
            content: { 'text/event-stream': { schema: Type.String() } },
          },
          ...controlErrors(),
        },
      },
    },
    (request, reply) => {
      reply.hijack()
      const res = reply.raw
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-request-id': request.id,
      })
      res.write('retry: 1000\n\n')
      // A slow reader must not make the emulator buffer without bound: while the socket is
      // congested, events are dropped and the client is told once the stream drains.
      let congested = false
      const send = (event: LiveEvent) => {
        if (congested) return
        congested = !res.write(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`)
      }
      res.on('drain', () => {
        if (!congested) return
        congested = false
        res.write('event: gap\ndata: {}\n\n')
      })
      const unsubscribe = app.events.subscribe(send)
      const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS).unref()
      streams.add(res)
      res.on('close', () => {
        unsubscribe()
        clearInterval(keepAlive)
        streams.delete(res)
      })
    },
  )

  // Event streams never end by themselves: closing the app ends them, or close() would wait forever.
  app.addHook('preClose', async () => {
    for (const res of streams) res.end()
  })
}

export default dashboard
