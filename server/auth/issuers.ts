/**
 * Token issuers. By default the emulator writes Microsoft's own issuers into tokens and discovery
 * documents (entra.md §4.1: v1 `https://sts.windows.net/{tid}/`, v2
 * `https://login.microsoftonline.com/{tid}/v2.0`), which MSAL accepts from any authority.
 * `--issuer-host` replaces them with the emulator's own origin for clients that check the issuer
 * against the authority. Either way the API accepts both the v1 and the v2 form.
 */
export interface Issuers {
  v1(tenantId: string): string
  v2(tenantId: string): string
  /** Whether `issuer` is one this emulator writes for `tenantId`. */
  accepts(issuer: string, tenantId: string): boolean
}

export function createIssuers(issuerHost?: string): Issuers {
  const v1 = issuerHost
    ? (tid: string) => `${issuerHost}/${tid}/`
    : (tid: string) => `https://sts.windows.net/${tid}/`
  const v2 = issuerHost
    ? (tid: string) => `${issuerHost}/${tid}/v2.0`
    : (tid: string) => `https://login.microsoftonline.com/${tid}/v2.0`
  return { v1, v2, accepts: (issuer, tid) => issuer === v1(tid) || issuer === v2(tid) }
}
