import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

/**
 * The addresses a person types: `/`, `/_emulator` and `/_emulator/` lead to the dashboard, and
 * `/_emulator/ui/` is the dashboard as `/_emulator/ui` is. A query (the dashboard's `?key=`) goes along.
 */
export default async function entryPoints(app: FastifyInstance): Promise<void> {
  const toDashboard = (request: FastifyRequest, reply: FastifyReply) => {
    const query = request.url.indexOf('?')
    return reply.redirect(`/_emulator/ui${query < 0 ? '' : request.url.slice(query)}`, 302)
  }
  for (const url of ['/', '/_emulator', '/_emulator/', '/_emulator/ui/'])
    app.get(url, { schema: { hide: true } }, toDashboard)
}
