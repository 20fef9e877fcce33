/**
 * The error catalog: every error the emulator answers with is defined once, with where its shape
 * comes from. One file per envelope: the Flow admin API's, Entra's, the connector gateway's,
 * Graph's, and the emulator's own control plane (in the service's envelope).
 */
export { errors, ServiceError } from './service.ts'
export { EntraError, entraErrors } from './entra.ts'
export { GatewayError, gatewayErrors } from './gateway.ts'
export { GraphError, graphErrors } from './graph.ts'
export { controlPlaneErrors } from './control.ts'
