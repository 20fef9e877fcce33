import type { FastifyInstance } from 'fastify'

/** What the token endpoint, its grants and client authentication use of the app's services. */
export type TokenServices = Pick<FastifyInstance, 'repos' | 'clock' | 'random' | 'tokenIssuer'>
