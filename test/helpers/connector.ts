import { ADMIN } from './demo.ts'

export const CONNECTOR = '/apim/microsoftflowforadmins'
export const FIRST_PARTY = 'contoso-admin-firstparty'
export const CERT_OAUTH = 'contoso-admin-certoauth'

/** A connector path: basePath, connection, then the backend path (flow-admin-api.md Appendix A). */
export const viaConnector = (connectionId: string, path: string) =>
  `${CONNECTOR}/${connectionId}${ADMIN}${path}`
