import type autocannon from 'autocannon'

/**
 * The loads of `bench:profile` and `bench:ab`, two of which `bench` uses too, against a running
 * emulator at `base`, as the demo tenant's admin (`authorization`).
 */
export const ADMIN = '/providers/Microsoft.ProcessSimple/scopes/admin'
export const API = 'api-version=2016-11-01'
/** The demo tenant's Invoice Approval flow. */
export const INVOICE = '23d920c4-0119-4d63-b3dc-07bb4ff5bf9d'

export const SCENARIOS = ['permissions', 'flow', 'stop', 'modify'] as const
export type Scenario = (typeof SCENARIOS)[number]

export function isScenario(name: string): name is Scenario {
  return (SCENARIOS as readonly string[]).includes(name)
}

export function scenarioLoad(
  scenario: Scenario,
  base: string,
  authorization: string,
): Partial<autocannon.Options> & { url: string } {
  const flowUrl = `${base}${ADMIN}/environments/~default/flows/${INVOICE}`
  const auth = { authorization }
  switch (scenario) {
    case 'permissions':
      return { url: `${flowUrl}/permissions?${API}`, headers: auth }
    case 'flow':
      return { url: `${flowUrl}?${API}`, headers: auth }
    case 'stop':
      return { url: `${flowUrl}/stop?${API}`, method: 'POST', headers: auth }
    case 'modify':
      return {
        url: `${flowUrl}/modifyPermissions?${API}`,
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          put: [
            {
              properties: {
                principal: { id: '5a1a6d2c-6b8e-4d0a-9a55-0e3f1f0c2b11', type: 'User' },
                roleName: 'CanView',
              },
            },
          ],
        }),
      }
  }
}
