import { byId, h, named } from './dom.ts'
import type { Environment, Tenant } from '../../../schemas/control.ts'

/** The Environments view: the tenant's environments, each opening its flows. */
export function renderEnvironments(tenant: Tenant | undefined, open: (env: Environment) => void): void {
  const container = byId('environments-view')
  if (!tenant) {
    container.replaceChildren(h('p', { class: 'empty' }, 'No tenants.'))
    return
  }
  container.replaceChildren(
    h(
      'p',
      { class: 'note' },
      'Tenant ',
      named(tenant.displayName, tenant.id, 'tenant id'),
      ` · ${tenant.domain}`,
    ),
    h(
      'table',
      { class: 'responsive', 'aria-label': `Environments of ${tenant.displayName}` },
      h(
        'thead',
        {},
        h('tr', {}, h('th', {}, 'Environment'), h('th', {}, 'Type'), h('th', { class: 'num' }, 'Flows')),
      ),
      h(
        'tbody',
        {},
        tenant.environments.map((env) =>
          h(
            'tr',
            { 'data-environment': env.name },
            h('td', { 'data-label': 'Environment' }, named(env.displayName, env.name, 'environment name')),
            h('td', { 'data-label': 'Type' }, env.isDefault ? 'Default' : '–'),
            h(
              'td',
              { 'data-label': 'Flows', class: 'num' },
              h(
                'button',
                { type: 'button', class: 'link', onclick: () => open(env) },
                `${env.flows.filter((f) => !f.deletedTime).length}${env.flowsTruncated ? '+' : ''} flows`,
              ),
            ),
          ),
        ),
      ),
    ),
  )
}
