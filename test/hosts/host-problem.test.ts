import { describe, expect, it } from 'vitest'

import { hostProblem, type Arrival, type HostPolicy } from '../../server/hosts/allowed-hosts.ts'

// The allow-list's decision alone; what a refused request answers is in test/security/allowed-hosts.test.ts.
describe('hostProblem', () => {
  const policy: HostPolicy = { listenHost: '127.0.0.1', allowed: [] }
  const direct: Arrival = { localPort: 7070, tls: false, proxiedHost: undefined }
  const tunneled: Arrival = { localPort: 9000, tls: true, proxiedHost: 'login.microsoftonline.com' }

  it.each([
    [{ host: 'localhost:7070' }, direct, undefined],
    [{ host: 'localhost' }, direct, 'Host'],
    [{ host: 'localhost' }, { ...direct, localPort: 80 }, undefined],
    [{ host: 'localhost' }, { ...direct, localPort: 443, tls: true }, undefined],
    [{ host: '127.9.9.9:7070' }, direct, undefined],
    [{ host: 'LOCALHOST:7070' }, direct, undefined],
    [{ host: 'localhost.:7070' }, direct, 'Host'],
    [{}, direct, 'Host'],
    [{ host: 'localhost:7070', origin: 'null' }, direct, 'Origin'],
    [{ host: 'localhost:7070', origin: 'http://127.0.0.1:5173' }, direct, undefined],
    [{ host: 'login.microsoftonline.com' }, tunneled, undefined],
    [{ host: 'api.flow.microsoft.com:443' }, tunneled, undefined],
    [{ host: 'localhost:9000' }, tunneled, 'Host'],
    [{ host: 'login.microsoftonline.com:8443' }, tunneled, 'Host'],
    [{ host: 'login.microsoftonline.com', origin: 'https://evil.example' }, tunneled, 'Origin'],
  ])('%j %j → %s', (headers, arrival, expected) => {
    expect(hostProblem(headers, arrival, policy)?.header).toBe(expected)
  })
})
