import { entraErrors } from '../errors/index.ts'
import { matchesRegisteredUri } from '../auth/redirect-uri-rules.ts'
import type { Client } from './clients.ts'

/**
 * What the well-known public clients registered: `http://localhost`, which they use on any port
 * (the Azure CLI, Azure PowerShell and MSAL's loopback listeners take a free port).
 * EMULATOR: any path and `[::1]` are accepted for them too, where Entra would match the path of
 * `http://localhost` exactly; their real registrations are not published.
 */
function isLocalhostRedirect(url: URL): boolean {
  return (
    url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) && !url.username
  )
}

/** Refuses a redirect URI the client has not registered: AADSTS50011, or AADSTS500113 if it has none. */
export function assertRegisteredRedirect(client: Client, requested: URL, sent: string): void {
  if (client.kind === 'public') {
    if (isLocalhostRedirect(requested)) return
  } else {
    if (client.app.redirect_uris.length === 0) throw entraErrors.noReplyAddress()
    if (client.app.redirect_uris.some((r) => matchesRegisteredUri(r, requested))) return
  }
  throw entraErrors.redirectUriNotRegistered(sent, client.clientId)
}
