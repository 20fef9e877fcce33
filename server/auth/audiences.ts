/**
 * Token audiences. The Flow RP accepts its own resource and ARM's (flow-admin-api.md §0: the
 * PowerShell module asks for the first, the CLI for Microsoft 365 and PnP for ARM's). Exact
 * strings: the trailing slash matters (entra.md §0 item 7).
 */
export const FLOW_SERVICE_AUDIENCE = 'https://service.flow.microsoft.com/'

export const FLOW_API_AUDIENCES: readonly string[] = [
  FLOW_SERVICE_AUDIENCE,
  'https://management.azure.com/',
  'https://management.core.windows.net/',
]

/** The v1 issuer Entra writes into tokens for these resources (entra.md §4.1). */
export const v1Issuer = (tenantId: string) => `https://sts.windows.net/${tenantId}/`

/** The v2 issuer; accepted as well, since real clients could present one (entra.md §8). */
export const v2Issuer = (tenantId: string) => `https://login.microsoftonline.com/${tenantId}/v2.0`
