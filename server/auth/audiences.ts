/**
 * Token audiences. The Flow RP accepts its own resource and ARM's (flow-admin-api.md §0: the
 * PowerShell module asks for the first, the CLI for Microsoft 365 and PnP for ARM's). Exact
 * strings: the trailing slash matters (entra.md §0 item 7).
 */
export const FLOW_SERVICE_AUDIENCE = 'https://service.flow.microsoft.com/'

/**
 * Azure Resource Manager's audiences: its resource with and without the slash (a scope
 * `https://management.azure.com/.default` yields the second, as Azure Identity and PnP PowerShell
 * ask for it) and the classic `https://management.core.windows.net/` (the Azure CLI's).
 */
export const ARM_AUDIENCES: readonly string[] = [
  'https://management.azure.com/',
  'https://management.azure.com',
  'https://management.core.windows.net/',
]

/** `https://service.flow.microsoft.com` without the slash stays refused: the real pitfall. */
export const FLOW_API_AUDIENCES: readonly string[] = [FLOW_SERVICE_AUDIENCE, ...ARM_AUDIENCES]

/**
 * The connector gateway also takes tokens for the connector runtime, `https://apihub.azure.com`
 * (flow-admin-api.md §5.5).
 */
export const CONNECTOR_AUDIENCES: readonly string[] = [...FLOW_API_AUDIENCES, 'https://apihub.azure.com']
