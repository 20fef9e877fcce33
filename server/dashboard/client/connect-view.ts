import { h, snippet } from './dom.ts'
import type { Overview, Tenant } from '../../../schemas/control.ts'

const SCOPE = 'https://service.flow.microsoft.com//.default'
const FLOW_PATH = '/providers/Microsoft.ProcessSimple/scopes/admin'

/** The "connect your client" panel: URLs, tenant ids, demo identities and snippets to copy. */
export function renderConnect(container: HTMLElement, overview: Overview, origin: string): void {
  const http = overview.endpoints.httpUrl ?? origin
  const https = overview.endpoints.httpsUrl
  const authorityHost = https ?? http
  const tenant: Tenant | undefined = overview.tenants[0]
  const app =
    tenant?.apps.find((a) => a.secret !== null && a.managementApplication) ??
    tenant?.apps.find((a) => a.secret)
  const admin = tenant?.users.find((u) => u.upn === tenant.admin)

  const urls = h(
    'dl',
    { class: 'kv' },
    h('dt', {}, 'Flow admin API'),
    h('dd', { class: 'mono' }, `${http}${FLOW_PATH}`),
    h('dt', {}, 'Connector'),
    h('dd', { class: 'mono' }, `${http}/apim/microsoftflowforadmins/{connectionId}${FLOW_PATH}`),
    h('dt', {}, 'Entra ID authority'),
    h('dd', { class: 'mono' }, `${authorityHost}/{tenant}`),
    overview.endpoints.caCertificateUrl
      ? [
          h('dt', {}, 'CA certificate'),
          h(
            'dd',
            {},
            h('a', { href: overview.endpoints.caCertificateUrl }, 'ca.pem'),
            ' (NODE_EXTRA_CA_CERTS)',
          ),
        ]
      : null,
    overview.endpoints.proxyUrl
      ? [h('dt', {}, 'HTTPS proxy'), h('dd', { class: 'mono' }, `HTTPS_PROXY=${overview.endpoints.proxyUrl}`)]
      : null,
  )

  const identities = h(
    'table',
    { class: 'responsive', 'aria-label': 'Demo identities' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'Tenant'),
        h('th', {}, 'Identity'),
        h('th', {}, 'Secret'),
        h('th', {}, 'Roles'),
      ),
    ),
    h(
      'tbody',
      {},
      overview.tenants.flatMap((t) => [
        ...t.users.map((u) =>
          h(
            'tr',
            {},
            h('td', { 'data-label': 'Tenant' }, t.displayName),
            h('td', { 'data-label': 'Identity', class: 'mono wrap' }, u.upn),
            h('td', { 'data-label': 'Secret', class: 'mono wrap' }, u.password),
            h('td', { 'data-label': 'Roles' }, u.roles.join(', ') || '–'),
          ),
        ),
        ...t.apps.map((a) =>
          h(
            'tr',
            {},
            h('td', { 'data-label': 'Tenant' }, t.displayName),
            h(
              'td',
              { 'data-label': 'Identity' },
              a.displayName,
              h('div', { class: 'mono note wrap' }, `client id ${a.clientId}`),
            ),
            h('td', { 'data-label': 'Secret', class: 'mono wrap' }, a.secret ?? '(certificate)'),
            h('td', { 'data-label': 'Roles' }, a.managementApplication ? 'management application' : '–'),
          ),
        ),
      ]),
    ),
  )

  if (!tenant) {
    container.replaceChildren(urls, identities)
    return
  }
  const tenantId = tenant.id
  const clientId = app?.clientId ?? '<client id>'
  const secret = app?.secret ?? '<client secret>'
  const curl = `# A token for ${admin?.upn ?? 'a tenant admin'}, minted by the control plane (loopback only)
TOKEN=$(curl -s -X POST ${http}/_emulator/tokens -H 'content-type: application/json' \\
  -d '{"tenant":"${tenantId}","user":"${admin?.upn ?? '<upn>'}"}' | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
curl -s -H "Authorization: Bearer $TOKEN" \\
  "${http}${FLOW_PATH}/environments/~default/flows?api-version=2016-11-01"`
  const knownAuthority = new URL(authorityHost).host
  const msal = `import { ConfidentialClientApplication } from '@azure/msal-node'
// NODE_EXTRA_CA_CERTS=<the CA certificate above>
const cca = new ConfidentialClientApplication({
  auth: {
    clientId: '${clientId}',
    authority: '${authorityHost}/${tenantId}',
    knownAuthorities: ['${knownAuthority}'],
    clientSecret: '${secret}',
  },
})
const { accessToken } = await cca.acquireTokenByClientCredential({
  scopes: ['${SCOPE}'],
})`
  const identity = `import { ClientSecretCredential } from '@azure/identity'
// NODE_EXTRA_CA_CERTS=<the CA certificate above>
const credential = new ClientSecretCredential(
  '${tenantId}',
  '${clientId}',
  '${secret}',
  { authorityHost: '${authorityHost}', disableInstanceDiscovery: true },
)
const { token } = await credential.getToken('${SCOPE}')`

  container.replaceChildren(
    urls,
    h('h3', {}, 'Tenants'),
    h(
      'ul',
      {},
      overview.tenants.map((t) =>
        h('li', {}, `${t.displayName} (${t.domain}) `, h('span', { class: 'mono' }, t.id)),
      ),
    ),
    h('h3', {}, 'Demo identities (test data, never real credentials)'),
    identities,
    snippet('curl', curl),
    snippet('MSAL Node', msal),
    snippet('Azure Identity', identity),
  )
}
