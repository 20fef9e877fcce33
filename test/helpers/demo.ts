/** The demo tenant's fixed ids (fixtures/README.md). */
export const CONTOSO = {
  tenantId: '783478ba-d972-4d0e-9d82-00409b796330',
  domain: 'contoso.onmicrosoft.com',
  defaultEnv: 'Default-783478ba-d972-4d0e-9d82-00409b796330',
  productionEnv: '49bed78c-0f31-4856-a8ca-1f5dd29c6dc5',
  admin: { upn: 'admin@contoso.onmicrosoft.com', id: '0ecf2eb2-b513-4569-9cc0-304908da507e' },
  ppadmin: { upn: 'ppadmin@contoso.onmicrosoft.com', id: 'ce85686b-31e1-4ed8-8da5-921764fddebd' },
  maker: { upn: 'maker@contoso.onmicrosoft.com', id: 'aa85b976-6c9b-4a2d-93d9-b834a1e41e65' },
  analyst: { upn: 'analyst@contoso.onmicrosoft.com', id: 'd8140a16-ee07-46d8-8cea-bb3bbb61f068' },
  group: 'e6a1f93b-995c-416f-b1f3-bd81e29da9af',
  automationApp: {
    clientId: '7b0484fa-111e-44e3-a79c-35a2c9dff6e7',
    spId: '1d10d81d-6ee7-42d5-8e34-d50768b5d3e3',
  },
  reportingApp: { clientId: 'ca7c1178-7ca0-4e13-b919-96237a8b3a6d' },
  subscription: { id: '62a6ff1b-8cee-4282-8e2f-7f1d50fa7481', displayName: 'Contoso Automation' },
  flows: {
    invoiceApproval: '23d920c4-0119-4d63-b3dc-07bb4ff5bf9d',
    nightlyCleanup: '78fcd43b-7977-48bb-baa0-1da33adee558',
    syncCrm: '131781a3-7402-48ae-bfc0-03872c6e2bf7',
    weeklyDigest: '8fdc593f-17d4-41de-8cd9-3c0901c3cd27',
    heartbeat: 'c56379b5-71fc-49e6-8051-4f1dbda145db',
    quarterlyClose: 'afdbba08-feb9-4b38-880c-a6d5edf9ef48',
  },
} as const

export const FABRIKAM = {
  tenantId: '1d6b6773-57e9-447d-95d1-c2ec8975f189',
  defaultEnv: 'Default-1d6b6773-57e9-447d-95d1-c2ec8975f189',
  admin: { upn: 'admin@fabrikam.onmicrosoft.com', id: 'f6f81e53-22b7-4ab7-944c-06b152df76f0' },
  maker: { upn: 'maker@fabrikam.onmicrosoft.com', id: 'cc215761-e3d6-40e5-a7a0-36c6b43f5144' },
  onboardingFlow: 'fcfb5e3d-07f8-49e3-b685-0bfd778c342a',
  opsApp: { clientId: '22bf46e7-ab3a-442e-b586-ed5ef1e41b80' },
} as const

export const ADMIN = '/providers/Microsoft.ProcessSimple/scopes/admin'
export const API = 'api-version=2016-11-01'

/** The i-th made-up user id of a test, outside the demo directory. */
export const generatedPrincipal = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`

/** A modifyPermissions `put` entry for a user. */
export const putUser = (id: string, roleName = 'CanView') => ({
  properties: { principal: { id, type: 'User' }, roleName },
})
