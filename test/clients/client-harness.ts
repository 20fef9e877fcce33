import { spawn, spawnSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, beforeAll } from 'vitest'

import { buildApp } from '../../server/app.ts'
import { listen, type Listening } from '../../server/listen.ts'
import { CONTOSO } from '../helpers/demo.ts'

/**
 * What the real-client suites share: an emulator of their own (HTTP, HTTPS and proxy on free
 * ports, the demo tenant, device codes polled every second), a CA bundle that joins the emulator's
 * CA to the system's (Python's `requests` trusts only one file), and running a client as a user
 * would. Nothing here installs anything.
 */
export const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt'
export const DEMO_PASSWORD = 'Demo!Passw0rd'
export const APP_SECRET = 'contoso-automation-secret'
export const PEM_PATH = new URL('../../fixtures/certs/contoso-automation.pem', import.meta.url).pathname
export const PFX_PATH = new URL('../../fixtures/certs/contoso-automation.pfx', import.meta.url).pathname
export const PFX_PASSWORD = 'emulator'
/** The Flow admin API's default environment, as a client addresses it through the proxy. */
export const FLOW_ADMIN_API = `https://api.flow.microsoft.com/providers/Microsoft.ProcessSimple/scopes/admin/environments/${CONTOSO.defaultEnv}`

export interface ClientEmulator {
  listening: Listening
  /** https://127.0.0.1:<port> */
  httpsUrl: string
  proxyUrl: string
  caPath: string
  /** The system's CAs and the emulator's, for clients that trust one file. */
  caBundle: string
  /** A scratch directory for this suite (client homes, configs). */
  scratch: string
}

/** Starts an emulator for the suite's tests and closes it after them. */
export function useClientEmulator(): ClientEmulator {
  const emulator = {} as ClientEmulator
  beforeAll(async () => {
    const dataDir = process.env['EMULATOR_TEST_DATA_DIR']!
    const app = await buildApp({ db: ':memory:', logLevel: 'silent', deviceCodeInterval: 1 })
    const listening = await listen(app, { host: '127.0.0.1', port: 0, httpsPort: 0, dataDir, proxyPort: 0 })
    const scratch = mkdtempSync(join(tmpdir(), 'paae-clients-'))
    const caPath = listening.caCertificatePath!
    const caBundle = join(scratch, 'ca-bundle.pem')
    const system = existsSync(SYSTEM_CA_BUNDLE) ? readFileSync(SYSTEM_CA_BUNDLE, 'utf8') : ''
    writeFileSync(caBundle, `${system}\n${readFileSync(caPath, 'utf8')}`)
    Object.assign(emulator, {
      listening,
      httpsUrl: listening.httpsUrl!,
      proxyUrl: listening.proxyUrl!,
      caPath,
      caBundle,
      scratch,
    })
  }, 60_000)
  afterAll(async () => {
    await emulator.listening?.close()
  })
  return emulator
}

export interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * Runs a client to its end. `onStderr`/`onStdout` see the output as it comes (a device code to
 * approve). The environment is the caller's only: nothing of this process leaks in but PATH.
 */
export function run(
  command: string,
  args: string[],
  env: Record<string, string>,
  options: { timeoutMs?: number; onOutput?: ((text: string) => void) | undefined } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${command} ${args.join(' ')} timed out:\n${stdout}\n${stderr}`))
    }, options.timeoutMs ?? 120_000)
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      options.onOutput?.(stdout + stderr)
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      options.onOutput?.(stdout + stderr)
    })
    child.on('error', (error) => (clearTimeout(timer), reject(error)))
    child.on('close', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr })))
  })
}

/** Approves a device code at the emulator's /devicelogin, as the user would in a browser. */
export function deviceCodeApprover(emulator: ClientEmulator, upn: string = CONTOSO.admin.upn) {
  let approved: Promise<void> | undefined
  return {
    onOutput: (text: string) => {
      const code =
        /enter the code ([A-Z0-9]{6,12})/.exec(text)?.[1] ?? /"user_code": "([A-Z0-9]+)"/.exec(text)?.[1]
      if (!code || approved) return
      approved = fetch(`${emulator.listening.httpUrl}/devicelogin`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ user_code: code, username: upn, password: DEMO_PASSWORD }).toString(),
      }).then((res) => {
        if (res.status !== 200) throw new Error(`devicelogin answered ${res.status}`)
      })
    },
    get done() {
      return approved ?? Promise.reject(new Error('no device code was shown'))
    },
  }
}

/**
 * Whether a client is installed. In CI a missing client fails the suite; elsewhere it is
 * skipped, with how to install it.
 */
export function installed(command: string[], howToInstall: string): boolean {
  const found = spawnSync(command[0]!, command.slice(1), { stdio: 'ignore' }).status === 0
  if (found) return true
  if (process.env['CI']) throw new Error(`${command.join(' ')} is missing in CI: ${howToInstall}`)
  console.warn(`skipping: ${command[0]} is not installed (${howToInstall})`)
  return false
}

/** The certificate's SHA-1 thumbprint in hex, as MSAL Python and the CLIs take it. */
export function sha1Hex(pemPath: string): string {
  return new X509Certificate(readFileSync(pemPath)).fingerprint.replace(/:/g, '')
}
