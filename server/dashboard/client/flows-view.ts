import { byId, h, named, timeText } from './dom.ts'
import { closeFlyout, flyoutKey, openFlyout } from './flyout.ts'
import { createGridFocus } from './grid-focus.ts'
import type { Names } from './names.ts'
import type { Environment, Flow, Tenant } from '../../../schemas/control.ts'

export type FlowCommand = 'start' | 'stop' | 'delete' | 'restore'

export interface FlowActions {
  names(): Names
  /** Runs a command on flows through the Flow admin API; `anchor` is where its toast shows. */
  run(tenant: Tenant, env: Environment, flows: Flow[], command: FlowCommand, anchor: HTMLElement): void
  /** Grants or removes a role through Edit-AdminFlowOwnerRole. */
  share(
    tenant: Tenant,
    env: Environment,
    flow: Flow,
    change: { put?: { id: string; type: string; role: string }; remove?: string },
    anchor: HTMLElement,
  ): void
}

const COMMANDS: [label: string, command: FlowCommand, applies: (f: Flow) => boolean][] = [
  ['Turn on', 'start', (f) => !f.deletedTime && f.state !== 'Started'],
  ['Turn off', 'stop', (f) => !f.deletedTime && f.state === 'Started'],
  ['Delete', 'delete', (f) => !f.deletedTime],
  ['Restore', 'restore', (f) => f.deletedTime !== null],
]

const GRANTABLE = ['CanEdit', 'CanViewWithShare', 'CanView']

/** The Flows view: a command bar acting on the selected flows, the flows of one environment, the user details. */
export function createFlowsView(actions: FlowActions) {
  const commands = byId('flow-commands')
  const view = byId('tenant-view')
  const grid = createGridFocus(view, (row) => row.dataset['flow'] ?? 'header')
  const selection = new Set<string>()
  let tenant: Tenant | undefined
  let env: Environment | undefined
  /** The roles the open permissions panel shows. */
  let shownPermissions: string | undefined

  const selected = () => env?.flows.filter((f) => selection.has(f.name)) ?? []

  const renderCommands = () => {
    const flows = selected()
    const noAdmin = !tenant?.admin
    commands.replaceChildren(
      ...COMMANDS.map(([label, command, applies]) => {
        const button = h(
          'button',
          {
            type: 'button',
            'data-command': command,
            disabled: noAdmin || !flows.some(applies),
            title: noAdmin ? 'This tenant has no admin' : `As ${tenant?.admin}, through the Flow admin API`,
          },
          label,
        )
        button.addEventListener('click', () => {
          if (tenant && env) actions.run(tenant, env, flows.filter(applies), command, button)
        })
        return button
      }),
      h(
        'button',
        {
          type: 'button',
          'data-command': 'owners',
          disabled: noAdmin || flows.length !== 1 || flows[0]!.deletedTime !== null,
          onclick: () => flows[0] && showPermissions(flows[0]),
        },
        'Manage owners',
      ),
      h(
        'span',
        { class: 'note', 'data-testid': 'selection' },
        flows.length ? `${flows.length} selected` : '',
      ),
    )
  }

  /** The flyout: Owner first and the API's count, principals the API hides marked, and sharing. */
  const showPermissions = (flow: Flow) => {
    if (!tenant || !env) return
    const [t, e] = [tenant, env]
    const names = actions.names()
    const visible = flow.permissions.filter((p) => !p.hiddenFromApi)
    shownPermissions = JSON.stringify(flow.permissions)
    const principalSelect = h(
      'select',
      { name: 'principal', 'aria-label': 'User or group' },
      ...t.users.map((u) => h('option', { value: `${u.objectId}|User` }, u.upn)),
    )
    const roleSelect = h(
      'select',
      { name: 'role', 'aria-label': 'Role' },
      ...GRANTABLE.map((r) => h('option', { value: r }, r)),
    )
    const form = h(
      'form',
      { class: 'share', 'aria-label': 'Share the flow' },
      h('h3', {}, 'Share'),
      principalSelect,
      roleSelect,
      h('button', { type: 'submit', class: 'primary' }, 'Add'),
    )
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      const [id, type] = principalSelect.value.split('|') as [string, string]
      actions.share(t, e, flow, { put: { id, type, role: roleSelect.value } }, form.querySelector('button')!)
    })
    openFlyout(
      `permissions:${e.name}/${flow.name}`,
      `Permissions of ${flow.displayName}`,
      h(
        'p',
        { 'data-testid': 'api-count' },
        `The API lists ${visible.length} role${visible.length === 1 ? '' : 's'} (GET …/permissions), Owner first.`,
      ),
      h(
        'ul',
        { class: 'plain permissions', 'aria-label': `Permissions of ${flow.displayName}` },
        flow.permissions.map((p) => {
          const name = p.displayName ?? names.principal(p.principalId) ?? p.principalId
          return h(
            'li',
            { 'data-principal': p.principalId, class: p.hiddenFromApi ? 'hidden-from-api' : undefined },
            h('span', { class: `role ${p.roleName}` }, p.roleName),
            named(name, p.principalId, 'object id'),
            h('span', { class: 'note' }, p.principalType),
            p.hiddenFromApi
              ? h(
                  'span',
                  { class: 'badge muted', title: 'GET …/permissions never lists service principals' },
                  'Hidden from the API',
                )
              : null,
            p.roleName !== 'Owner' && !p.hiddenFromApi && t.admin
              ? h(
                  'button',
                  {
                    type: 'button',
                    class: 'subtle',
                    'aria-label': `Remove ${name}`,
                    onclick: (event: Event) =>
                      actions.share(
                        t,
                        e,
                        flow,
                        { remove: p.principalId },
                        event.currentTarget as HTMLElement,
                      ),
                  },
                  'Remove',
                )
              : null,
          )
        }),
      ),
      t.admin ? form : h('p', { class: 'note' }, 'This tenant has no admin to share as.'),
    )
  }

  const flowRow = (flow: Flow) => {
    const names = actions.names()
    const owner = flow.permissions.find((p) => p.roleName === 'Owner')
    const visible = flow.permissions.filter((p) => !p.hiddenFromApi).length
    const state = flow.deletedTime ? 'Deleted' : flow.state
    return h(
      'tr',
      { 'data-flow': flow.name, 'aria-selected': String(selection.has(flow.name)) },
      h(
        'td',
        { class: 'check' },
        h('input', {
          type: 'checkbox',
          'aria-label': `Select ${flow.displayName}`,
          checked: selection.has(flow.name),
          onchange: (event: Event) => {
            if ((event.target as HTMLInputElement).checked) selection.add(flow.name)
            else selection.delete(flow.name)
            render(tenant, env)
          },
        }),
      ),
      h('td', { 'data-label': 'Flow', class: 'title' }, named(flow.displayName, flow.name, 'flow name')),
      h(
        'td',
        { 'data-label': 'State' },
        h('span', { class: `badge ${state}`, 'data-testid': 'flow-state' }, state),
      ),
      h(
        'td',
        { 'data-label': 'Owner' },
        owner ? (owner.displayName ?? names.principal(owner.principalId)) : '–',
      ),
      h('td', { 'data-label': 'Modified' }, timeText(flow.lastModifiedTime)),
      h(
        'td',
        { 'data-label': 'Sharing' },
        h(
          'button',
          { type: 'button', class: 'link', onclick: () => showPermissions(flow) },
          `Permissions (${visible})`,
        ),
      ),
    )
  }

  const flowTable = (e: Environment) => {
    const all = e.flows.length > 0 && e.flows.every((f) => selection.has(f.name))
    return h(
      'table',
      {
        class: 'grid responsive',
        role: 'grid',
        'aria-multiselectable': 'true',
        'aria-label': `Flows in ${e.displayName}`,
      },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h(
            'th',
            { class: 'check' },
            h('input', {
              type: 'checkbox',
              'aria-label': 'Select all flows',
              checked: all,
              onchange: () => {
                for (const f of e.flows) {
                  if (all) selection.delete(f.name)
                  else selection.add(f.name)
                }
                render(tenant, env)
              },
            }),
          ),
          h('th', { scope: 'col' }, 'Flow'),
          h('th', { scope: 'col' }, 'State'),
          h('th', { scope: 'col' }, 'Owner'),
          h('th', { scope: 'col' }, 'Modified'),
          h('th', { scope: 'col' }, 'Sharing'),
        ),
      ),
      h('tbody', {}, e.flows.map(flowRow)),
    )
  }

  const userDetails = (t: Tenant) =>
    h(
      'div',
      {},
      h('h2', {}, 'Flow user details'),
      t.userDetails.length === 0
        ? h('p', { class: 'empty' }, 'No records.')
        : h(
            'table',
            { class: 'responsive', 'aria-label': 'Flow user details' },
            h(
              'thead',
              {},
              h('tr', {}, h('th', {}, 'User'), h('th', {}, 'Internal plans'), h('th', {}, 'Consent')),
            ),
            h(
              'tbody',
              {},
              t.userDetails.map((d) =>
                h(
                  'tr',
                  {},
                  h(
                    'td',
                    { 'data-label': 'User' },
                    named(d.displayName ?? actions.names().principal(d.objectId)!, d.objectId, 'object id'),
                  ),
                  h(
                    'td',
                    { 'data-label': 'Internal plans' },
                    d.isDisallowedForInternalPlans ? 'Disallowed' : 'Allowed',
                  ),
                  h('td', { 'data-label': 'Consent' }, timeText(d.consentTime)),
                ),
              ),
            ),
          ),
    )

  function render(nextTenant: Tenant | undefined, nextEnv: Environment | undefined): void {
    tenant = nextTenant
    env = nextEnv
    for (const name of [...selection]) if (!env?.flows.some((f) => f.name === name)) selection.delete(name)
    renderCommands()
    const refocus = grid.focused()
    if (!tenant || !env) {
      view.replaceChildren(
        h('p', { class: 'empty' }, 'No tenants. Import a state document or restart with fixtures.'),
      )
      return
    }
    view.replaceChildren(
      env.flows.length === 0 ? h('p', { class: 'empty' }, `No flows in ${env.displayName}.`) : flowTable(env),
      env.flowsTruncated ? h('p', { class: 'note' }, 'Only the first flows are shown.') : '',
      userDetails(tenant),
    )
    grid.drawn(refocus)
    // An open permissions panel follows the data (a share, a reset), or closes when its flow is
    // gone; it is drawn again only when the roles changed, so a choice being made in it stays.
    const key = flyoutKey()
    if (key?.startsWith('permissions:')) {
      const flow = env.flows.find((f) => key === `permissions:${env!.name}/${f.name}`)
      if (!flow) closeFlyout()
      else if (JSON.stringify(flow.permissions) !== shownPermissions) showPermissions(flow)
    }
  }
  return { render }
}
