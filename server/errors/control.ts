import { ServiceError } from './service.ts'

/**
 * The emulator's own errors: the control plane (/_emulator), the dashboard and the proxy. They
 * have no counterpart in the real service, and answer in the service's envelope.
 */
/** Names the flag that lets a name in: a Docker service name or a shared demo host is legitimate. */
export function hostNotAllowedMessage(header: 'Host' | 'Origin', value: string): string {
  return `The ${header} '${value.slice(0, 256)}' is not one this emulator answers to. It answers loopback names (localhost, 127.0.0.1, [::1]) and --host on its own port; add other names with --allowed-hosts (PAAE_ALLOWED_HOSTS). This stops web pages that point their own name at the emulator (DNS rebinding).`
}

export const controlPlaneErrors = {
  // EMULATOR: the real service has no such refusal; the emulator's defence against DNS rebinding.
  hostNotAllowed: (header: 'Host' | 'Origin', value: string) =>
    new ServiceError(403, 'HostNotAllowed', hostNotAllowedMessage(header, value)),
  crossSiteControlCall: () =>
    new ServiceError(
      403,
      'ControlPlaneForbidden',
      "The emulator control plane refuses calls a browser marks 'Sec-Fetch-Site: cross-site': a web page may not drive it.",
    ),
  controlPlaneForbidden: () =>
    new ServiceError(
      403,
      'ControlPlaneForbidden',
      'The emulator control plane only answers loopback clients.',
    ),
  controlKeyRequired: () =>
    new ServiceError(
      403,
      'ControlPlaneForbidden',
      "The emulator control plane needs the right 'x-emulator-key' header.",
    ),
  notReady: () => new ServiceError(503, 'NotReady', 'The emulator is not ready.'),
  crossOriginControlCall: (origin: string) =>
    new ServiceError(
      403,
      'ControlPlaneForbidden',
      `The emulator control plane refuses calls from another origin ('${origin}'): a web page may not drive it.`,
    ),
  /** The proxy refuses what the emulator does not emulate: it never forwards to the internet. */
  proxyRefused: (what: string) =>
    new ServiceError(
      502,
      'ProxyRefused',
      `The emulator's proxy does not serve ${what}: it emulates only the Flow admin API, Entra ID, the Graph look-ups and the connector, and never reaches the internet.`,
    ),
  dashboardNotBuilt: () =>
    new ServiceError(
      503,
      'DashboardNotBuilt',
      "The dashboard's scripts are not built: run 'npm run build' (npm start and npm ci do it).",
    ),
  assetNotFound: (name: string) => new ServiceError(404, 'NotFound', `The dashboard has no file '${name}'.`),
  noCaCertificate: () =>
    new ServiceError(
      404,
      'NotFound',
      'This emulator has no local CA certificate (HTTPS is off, or --tls-cert brought its own).',
    ),
  faultNotFound: (id: string) => new ServiceError(404, 'FaultNotFound', `No fault rule '${id}' exists.`),
  tenantNotFound: (tenant: string) =>
    new ServiceError(404, 'TenantNotFound', `No tenant '${tenant}' is known to the emulator.`),
  principalNotFound: (tenant: string, principal: string) =>
    new ServiceError(
      404,
      'PrincipalNotFound',
      `No user or application '${principal}' exists in tenant '${tenant}'.`,
    ),
  connectionExists: (id: string) =>
    new ServiceError(409, 'ConnectionExists', `A connection '${id}' exists already.`),
  connectionNotFound: (id: string) =>
    new ServiceError(404, 'ConnectionNotFound', `No connection '${id}' exists.`),
  invalidConnection: (detail: string) => new ServiceError(400, 'InvalidConnection', detail),
}
