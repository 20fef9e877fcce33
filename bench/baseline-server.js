import Fastify from 'fastify'

/**
 * The ceiling the emulator is measured against, in the same run: a bare Fastify server, one JSON
 * route answering a body the size of the emulator's GET permissions response, no auth, no work.
 */
const body = {
  value: Array.from({ length: 3 }, (_, i) => ({
    name: `aa85b976-6c9b-4a2d-93d9-b834a1e41e6${i}`,
    id: `/providers/Microsoft.ProcessSimple/environments/Default-783478ba-d972-4d0e-9d82-00409b796330/flows/23d920c4-0119-4d63-b3dc-07bb4ff5bf9d/permissions/aa85b976-6c9b-4a2d-93d9-b834a1e41e6${i}`,
    type: '/providers/Microsoft.ProcessSimple/environments/flows/permissions',
    properties: {
      roleName: 'CanEdit',
      permissionType: 'Principal',
      principal: { id: `aa85b976-6c9b-4a2d-93d9-b834a1e41e6${i}`, type: 'User' },
    },
  })),
}

const app = Fastify({ logger: false })
app.get('/json', async () => body)
app.post('/json', async () => body)
app.get('/ready', async () => ({ status: 'ready' }))
await app.listen({ host: '127.0.0.1', port: Number(process.argv[2] ?? 0) })
const address = app.server.address()
console.log(`listening ${typeof address === 'object' && address ? address.port : 0}`)
