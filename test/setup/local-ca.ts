import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { loadOrCreateCa } from '../../server/tls/local-ca.ts'

/**
 * vitest globalSetup: one local CA for the whole run, trusted by every test process the way a
 * user trusts it, through NODE_EXTRA_CA_CERTS (read by Node when a process starts, so it is set
 * here, before the test processes are forked). Tests that listen on HTTPS use this data dir.
 */
export default function setup(): () => void {
  const dataDir = mkdtempSync(join(tmpdir(), 'paae-test-ca-'))
  const ca = loadOrCreateCa(dataDir, new Date())
  process.env['NODE_EXTRA_CA_CERTS'] = ca.certificatePath
  process.env['EMULATOR_TEST_DATA_DIR'] = dataDir
  return () => rmSync(dataDir, { recursive: true, force: true })
}
