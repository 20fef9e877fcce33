/** Where the emulator listens: known once `listen` has bound its ports, unknown to an app that only injects. */
export interface Endpoints {
  httpUrl?: string
  httpsUrl?: string
  /** The local CA's certificate file, which clients trust (served at /_emulator/ca.pem). */
  caCertificatePath?: string
  proxyUrl?: string
}

/**
 * The endpoints as the dashboard's "connect your client" panel shows them. `listen` is their only
 * writer, through `publish`, once every listener runs.
 */
export function createEndpoints() {
  let current: Readonly<Endpoints> = Object.freeze({})
  return {
    current: (): Readonly<Endpoints> => current,
    publish(endpoints: Endpoints): void {
      current = Object.freeze({ ...endpoints })
    },
  }
}
export type EndpointsService = ReturnType<typeof createEndpoints>
