import { h, timeText } from './dom.ts'
import type { Environment, Flow, Tenant } from './types.ts'

export interface FlowActions {
  setState(tenant: Tenant, environment: Environment, flow: Flow, action: 'start' | 'stop'): void
}

/** Tenants as tabs; per tenant its environments, their flows, each flow's permissions, and the user details records. */
export function createFlowsView(tabs: HTMLElement, view: HTMLElement, actions: FlowActions) {
  let selected: string | undefined
  const expanded = new Set<string>()
  let tenants: Tenant[] = []

  const renderTabs = () => {
    tabs.replaceChildren(
      ...tenants.map((t) =>
        h(
          'button',
          {
            type: 'button',
            role: 'tab',
            id: `tab-${t.id}`,
            'aria-selected': String(t.id === selected),
            'aria-controls': 'tenant-view',
            onclick: () => {
              selected = t.id
              render(tenants)
            },
          },
          t.displayName,
        ),
      ),
    )
    tabs.classList.add('tabs-row')
  }

  const permissionsRow = (flow: Flow, key: string) =>
    h(
      'tr',
      { id: `perm-${key}`, class: 'flow-permissions' },
      h(
        'td',
        { colspan: 4 },
        h(
          'table',
          { 'aria-label': `Permissions of ${flow.displayName}` },
          h('thead', {}, h('tr', {}, h('th', {}, 'Role'), h('th', {}, 'Principal'), h('th', {}, 'Type'))),
          h(
            'tbody',
            {},
            flow.permissions.map((p) =>
              h(
                'tr',
                {},
                h('td', {}, p.roleName),
                h('td', {}, p.displayName ?? '', ' ', h('span', { class: 'mono note' }, p.principalId)),
                h('td', {}, p.principalType),
              ),
            ),
          ),
        ),
      ),
    )

  const flowRows = (tenant: Tenant, env: Environment, flow: Flow) => {
    const key = `${env.name}/${flow.name}`
    const open = expanded.has(key)
    const stopped = flow.state !== 'Started'
    const row = h(
      'tr',
      { 'data-flow': flow.name },
      h('td', {}, flow.displayName, h('div', { class: 'mono note' }, flow.name)),
      h('td', {}, h('span', { class: `badge ${flow.state}`, 'data-testid': 'flow-state' }, flow.state)),
      h('td', {}, timeText(flow.lastModifiedTime)),
      h(
        'td',
        {},
        h(
          'button',
          {
            type: 'button',
            disabled: tenant.admin === null,
            title: tenant.admin
              ? `As ${tenant.admin}, through the Flow admin API`
              : 'This tenant has no admin',
            onclick: () => actions.setState(tenant, env, flow, stopped ? 'start' : 'stop'),
          },
          stopped ? 'Enable' : 'Disable',
        ),
        ' ',
        h(
          'button',
          {
            type: 'button',
            'aria-expanded': String(open),
            'aria-controls': `perm-${key}`,
            onclick: () => {
              if (open) expanded.delete(key)
              else expanded.add(key)
              render(tenants)
            },
          },
          `Permissions (${flow.permissions.length})`,
        ),
      ),
    )
    return open ? [row, permissionsRow(flow, key)] : [row]
  }

  const environmentBlock = (tenant: Tenant, env: Environment) =>
    h(
      'div',
      { 'data-environment': env.name },
      h(
        'h3',
        {},
        env.displayName,
        ' ',
        h('span', { class: 'mono note' }, env.name),
        env.isDefault ? ' (default)' : '',
      ),
      env.flows.length === 0
        ? h('p', { class: 'note' }, 'No flows.')
        : h(
            'table',
            { 'aria-label': `Flows in ${env.displayName}` },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, 'Flow'),
                h('th', {}, 'State'),
                h('th', {}, 'Last modified'),
                h('th', {}, 'Actions'),
              ),
            ),
            h(
              'tbody',
              {},
              env.flows.flatMap((f) => flowRows(tenant, env, f)),
            ),
          ),
      env.flowsTruncated ? h('p', { class: 'note' }, 'Only the first flows are shown.') : null,
    )

  const userDetailsBlock = (tenant: Tenant) =>
    h(
      'div',
      {},
      h('h3', {}, 'Flow user details'),
      tenant.userDetails.length === 0
        ? h('p', { class: 'note' }, 'No records.')
        : h(
            'table',
            { 'aria-label': 'Flow user details' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, 'User'),
                h('th', {}, 'PUID'),
                h('th', {}, 'Internal plans'),
                h('th', {}, 'Consent'),
              ),
            ),
            h(
              'tbody',
              {},
              tenant.userDetails.map((d) =>
                h(
                  'tr',
                  {},
                  h('td', {}, d.displayName ?? '', ' ', h('span', { class: 'mono note' }, d.objectId)),
                  h('td', { class: 'mono' }, d.puid),
                  h('td', {}, d.isDisallowedForInternalPlans ? 'disallowed' : 'allowed'),
                  h('td', {}, timeText(d.consentTime)),
                ),
              ),
            ),
          ),
    )

  function render(next: Tenant[]): void {
    tenants = next
    if (!tenants.some((t) => t.id === selected)) selected = tenants[0]?.id
    renderTabs()
    const tenant = tenants.find((t) => t.id === selected)
    if (!tenant) {
      view.replaceChildren(
        h('p', { class: 'note' }, 'No tenants. Import a state document or restart with fixtures.'),
      )
      return
    }
    view.setAttribute('role', 'tabpanel')
    view.setAttribute('aria-labelledby', `tab-${tenant.id}`)
    view.replaceChildren(
      h('p', { class: 'note' }, 'Tenant ', h('span', { class: 'mono' }, tenant.id), ` · ${tenant.domain}`),
      ...tenant.environments.map((e) => environmentBlock(tenant, e)),
      userDetailsBlock(tenant),
    )
  }
  return { render }
}
