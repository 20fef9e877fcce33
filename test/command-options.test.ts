import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { FastifyInstance } from 'fastify'

import { buildApp } from '../server/app.ts'
import { parseCommand, parseSeconds } from '../server/command-options.ts'
import { ConfigError } from '../server/config.ts'
import { defaultEmulatorUrl, waitForReady } from '../server/wait-for-ready.ts'

// The client commands' shared options and their readiness wait, in-process: test/cli.test.ts
// runs the bin itself.

const TOKEN_OPTIONS = { 'expires-in': { type: 'string' as const } }

describe('parseCommand', () => {
  it('defaults to loopback on PAAE_PORT, and takes the control key from the flag or the variable', () => {
    expect(parseCommand('token', [], {}, TOKEN_OPTIONS)).toEqual({
      values: {},
      url: 'http://127.0.0.1:7070',
      controlKey: undefined,
      help: false,
      version: false,
    })
    const fromEnv = parseCommand('wait', [], { PAAE_PORT: '8080', PAAE_CONTROL_KEY: 'k1' }, {})
    expect(fromEnv.url).toBe('http://127.0.0.1:8080')
    expect(fromEnv.controlKey).toBe('k1')
    const fromFlags = parseCommand(
      'wait',
      ['--url', 'http://localhost:9', '--control-key', 'k2', '-h', '--version'],
      { PAAE_CONTROL_KEY: 'k1' },
      {},
    )
    expect(fromFlags).toMatchObject({
      url: 'http://localhost:9',
      controlKey: 'k2',
      help: true,
      version: true,
    })
  })

  it('takes a negative number as the value of the flag before it', () => {
    const { values } = parseCommand('token', ['--expires-in', '-60'], {}, TOKEN_OPTIONS)
    expect(values['expires-in']).toBe('-60')
  })

  it('refuses an unknown flag, a bad URL and a bad PAAE_PORT, naming the command', () => {
    expect(() => parseCommand('token', ['--nope'], {}, TOKEN_OPTIONS)).toThrow(ConfigError)
    expect(() => parseCommand('token', ['--nope'], {}, TOKEN_OPTIONS)).toThrow(
      /^token: Unknown option '--nope'.*\. Run 'token --help' for the flags\.$/,
    )
    expect(() => parseCommand('wait', ['--url', 'not a url'], {}, {})).toThrow(
      new ConfigError("wait: --url must be a URL such as http://127.0.0.1:7070; got 'not a url'"),
    )
    for (const port of ['http', '70000', '-1'])
      expect(() => parseCommand('wait', [], { PAAE_PORT: port }, {})).toThrow(
        new ConfigError(`wait: PAAE_PORT must be a port number; got '${port}'`),
      )
  })
})

describe('parseSeconds', () => {
  it('takes whole seconds within the bounds, negative ones too', () => {
    expect(parseSeconds('token', 'expires-in', '-60', -86_400, 86_400)).toBe(-60)
    expect(parseSeconds('token', 'expires-in', '86400', -86_400, 86_400)).toBe(86_400)
  })

  it('refuses fractions, words and values past a bound', () => {
    for (const value of ['1.5', 'ten', '86401', '-86401', ''])
      expect(() => parseSeconds('token', 'expires-in', value, -86_400, 86_400)).toThrow(
        new ConfigError(
          `token: --expires-in must be a whole number of seconds from -86400 to 86400; got '${value}'`,
        ),
      )
  })
})

describe('waitForReady', () => {
  let app: FastifyInstance
  let url: string
  beforeAll(async () => {
    app = await buildApp({ db: ':memory:', logLevel: 'silent', controlKey: 'secret-key' })
    url = await app.listen({ port: 0, host: '127.0.0.1' })
  })
  afterAll(() => app.close())

  it('is ready once the emulator answers, with the control key it needs', async () => {
    expect(await waitForReady({ url, controlKey: 'secret-key' }, 1000)).toEqual({ ready: true })
  })

  it('gives up at once when the key is refused: waiting would not change it', async () => {
    const started = Date.now()
    const result = await waitForReady({ url, controlKey: 'wrong' }, 60_000)
    expect(result).toMatchObject({ ready: false, refused: true })
    expect(result.ready === false && result.reason).toMatch(/^it answered 403: .*ControlPlaneForbidden/)
    expect(Date.now() - started).toBeLessThan(5_000)
  })

  it('says it cannot reach a port nobody listens on, once the time is up', async () => {
    // Port 4 is privileged, unassigned and not on fetch's blocked list: refused, with no race for
    // a freed port that another test could take.
    expect(await waitForReady({ url: 'http://127.0.0.1:4' }, 150)).toEqual({
      ready: false,
      reason: 'cannot reach it (ECONNREFUSED)',
      refused: false,
    })
  })

  it('defaults to loopback on PAAE_PORT', () => {
    expect(defaultEmulatorUrl({})).toBe('http://127.0.0.1:7070')
    expect(defaultEmulatorUrl({ PAAE_PORT: '9000' })).toBe('http://127.0.0.1:9000')
  })
})
