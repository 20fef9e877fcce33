import { api } from './api.ts'
import { byId, h, toast } from './dom.ts'
import type { FaultRule, Tenant } from '../../../schemas/control.ts'

/** Reset, clock and fault rules: each button calls the control plane, then the page refreshes. */
export function createControlsView(refresh: () => Promise<void>) {
  const scope = byId<HTMLSelectElement>('reset-scope')
  const faultList = byId('fault-list')

  /** Calls the control plane; the toast shows beside the control that was used. */
  const act = async (what: string, anchor: Element | null, action: () => Promise<unknown>) => {
    try {
      await action()
      toast(what, anchor)
    } catch (error) {
      toast(`Failed: ${(error as Error).message}`, anchor, 'error')
    }
    await refresh()
  }
  const submitter = (event: Event) => (event as SubmitEvent).submitter

  byId<HTMLFormElement>('reset-form').addEventListener('submit', (event) => {
    event.preventDefault()
    const tenant = scope.value
    const name = scope.selectedOptions[0]?.textContent ?? tenant
    void act(tenant ? `${name} reset.` : 'Everything reset.', submitter(event), () =>
      api.reset(tenant || undefined),
    )
  })
  byId<HTMLFormElement>('clock-form').addEventListener('submit', (event) => {
    event.preventDefault()
    const seconds = Number(byId<HTMLInputElement>('clock-seconds').value)
    void act(`Clock advanced by ${seconds} s.`, submitter(event), () => api.advanceClock(seconds))
  })
  const real = byId('clock-real')
  real.addEventListener('click', () => void act('Clock follows real time.', real, () => api.realClock()))
  byId<HTMLFormElement>('fault-form').addEventListener('submit', (event) => {
    event.preventDefault()
    const operationId = byId<HTMLInputElement>('fault-operation').value.trim()
    const kind = byId<HTMLSelectElement>('fault-kind').value
    const times = byId<HTMLInputElement>('fault-times').value
    const rule: Record<string, unknown> = {}
    if (operationId) rule['operationId'] = operationId
    if (times) rule['times'] = Number(times)
    if (kind.startsWith('preset:')) rule['preset'] = kind.slice('preset:'.length)
    else if (kind.startsWith('status:')) rule['status'] = Number(kind.slice('status:'.length))
    else rule['delayMs'] = 2000
    void act('Fault rule added.', submitter(event), () => api.addFault(rule))
  })

  const describe = (rule: FaultRule) =>
    [
      rule.preset ?? (rule.status !== undefined ? `status ${rule.status}` : `delay ${rule.delayMs ?? 0} ms`),
      rule.operationId ? `on ${rule.operationId}` : 'on every call',
      rule.times !== undefined ? `fired ${rule.fired} of ${rule.times}` : `fired ${rule.fired}`,
    ].join(' · ')

  return {
    render(tenants: Tenant[], faults: FaultRule[]): void {
      const current = scope.value
      scope.replaceChildren(
        h('option', { value: '' }, 'Everything'),
        ...tenants.map((t) => h('option', { value: t.id }, `Tenant ${t.displayName}`)),
      )
      scope.value = tenants.some((t) => t.id === current) ? current : ''
      faultList.replaceChildren(
        ...(faults.length === 0
          ? [h('li', { class: 'note' }, 'No fault rules.')]
          : faults.map((rule) =>
              h(
                'li',
                { 'data-rule': rule.id },
                describe(rule),
                ' ',
                h(
                  'button',
                  {
                    type: 'button',
                    'aria-label': `Remove rule ${describe(rule)}`,
                    onclick: () => void act('Fault rule removed.', faultList, () => api.removeFault(rule.id)),
                  },
                  'Remove',
                ),
              ),
            )),
      )
    },
  }
}
