import { resolve } from 'node:path'

import { describe, expect, it } from 'vitest'

import { DEFAULT_JOURNAL, DEFAULT_THROTTLE } from '../server/app.ts'
import { ConfigError, helpText, loadConfig } from '../server/config.ts'
import { DEFAULTS, envName, SETTINGS } from '../server/settings.ts'

describe('loadConfig', () => {
  it('has loopback, port 7070, a file database in ./.emulator-data and the demo tenant by default', () => {
    expect(loadConfig([], {})).toEqual({
      host: '127.0.0.1',
      port: 7070,
      dataDir: resolve('.emulator-data'),
      db: resolve('.emulator-data/emulator.sqlite'),
      fixtures: undefined,
      seed: true,
      logLevel: 'info',
      help: false,
      version: false,
      httpsPort: 7443,
      tlsCert: undefined,
      tlsKey: undefined,
      proxyPort: undefined,
      caCert: undefined,
      caKey: undefined,
      issuerHost: undefined,
      deviceCodeInterval: 5,
      throttle: { enabled: true, limit: 100, windowSeconds: 60, countRejected: true },
      throttleFlowApi: false,
      rateLimitHeaders: false,
      autoConnections: true,
      randomSeed: undefined,
      controlKey: undefined,
      journal: { size: 1000, bodyLimit: 16384 },
      exportOnExit: undefined,
      coverageReport: undefined,
      shutdownTimeout: 10,
      allowedHosts: [],
      timeouts: { headersSeconds: 30, requestSeconds: 120, keepAliveSeconds: 5, tunnelIdleSeconds: 120 },
      maxTokenLifetime: 86400,
      maxAutoConnections: 1000,
    })
  })

  it('reads --allowed-hosts, the timeouts, --max-token-lifetime and --max-auto-connections', () => {
    expect(
      loadConfig(
        [
          '--allowed-hosts',
          'Emulator, demo.internal:7070,[::2]:80,10.0.0.5',
          '--headers-timeout',
          '2',
          '--request-timeout',
          '3',
          '--keep-alive-timeout',
          '4',
          '--tunnel-idle-timeout',
          '5',
          '--max-token-lifetime',
          '600',
        ],
        { PAAE_MAX_AUTO_CONNECTIONS: '0' },
      ),
    ).toMatchObject({
      allowedHosts: [
        { host: 'emulator', port: undefined },
        { host: 'demo.internal', port: 7070 },
        { host: '[::2]', port: 80 },
        { host: '10.0.0.5', port: undefined },
      ],
      timeouts: { headersSeconds: 2, requestSeconds: 3, keepAliveSeconds: 4, tunnelIdleSeconds: 5 },
      maxTokenLifetime: 600,
      maxAutoConnections: 0,
    })
  })

  it('reads every flag', () => {
    const config = loadConfig(
      [
        '--host',
        '::1',
        '--port',
        '0',
        '--data-dir',
        '/tmp/d',
        '--fixtures',
        'f.json',
        '--no-seed',
        '--log-level',
        'warn',
      ],
      {},
    )
    expect(config).toMatchObject({
      host: '::1',
      port: 0,
      dataDir: '/tmp/d',
      db: '/tmp/d/emulator.sqlite',
      fixtures: resolve('f.json'),
      seed: false,
      logLevel: 'warn',
    })
    expect(loadConfig(['--db', ':memory:'], {}).db).toBe(':memory:')
    expect(
      loadConfig(
        [
          '--proxy-port',
          '0',
          '--ca-cert',
          'fixtures/certs/contoso-automation.pem',
          '--ca-key',
          'fixtures/certs/contoso-automation.pem',
        ],
        {},
      ),
    ).toMatchObject({
      proxyPort: 0,
      caCert: resolve('fixtures/certs/contoso-automation.pem'),
      caKey: resolve('fixtures/certs/contoso-automation.pem'),
    })
    expect(loadConfig([], { PAAE_PROXY_PORT: '8888' }).proxyPort).toBe(8888)
    expect(
      loadConfig(
        [
          '--https-port',
          'off',
          '--tls-cert',
          'fixtures/certs/contoso-automation.pem',
          '--tls-key',
          'fixtures/certs/contoso-automation.pem',
          '--issuer-host',
          'https://localhost:7443',
          '--device-code-interval',
          '1',
        ],
        {},
      ),
    ).toMatchObject({
      httpsPort: 'off',
      tlsCert: resolve('fixtures/certs/contoso-automation.pem'),
      tlsKey: resolve('fixtures/certs/contoso-automation.pem'),
      issuerHost: 'https://localhost:7443',
      deviceCodeInterval: 1,
    })
    expect(loadConfig(['--https-port', '0'], {}).httpsPort).toBe(0)
    // No --log-format: main decides by whether stdout is a terminal.
    expect(loadConfig([], {}).logFormat).toBeUndefined()
    expect(loadConfig(['--log-format', 'pretty'], {}).logFormat).toBe('pretty')
    expect(loadConfig([], { PAAE_LOG_FORMAT: 'json' }).logFormat).toBe('json')
    // --port 0 takes HTTPS along to a free port, unless HTTPS was set by flag or variable.
    expect(loadConfig(['--port', '0'], {})).toMatchObject({ port: 0, httpsPort: 0, proxyPort: undefined })
    expect(loadConfig([], { PAAE_PORT: '0' }).httpsPort).toBe(0)
    expect(loadConfig(['--port', '0', '--https-port', '8443'], {}).httpsPort).toBe(8443)
    expect(loadConfig(['--port', '0'], { PAAE_HTTPS_PORT: 'off' }).httpsPort).toBe('off')
    expect(loadConfig(['--port', '0', '--proxy-port', '9000'], {}).proxyPort).toBe(9000)
    expect(loadConfig(['--port', '7071'], {}).httpsPort).toBe(7443)
    expect(
      loadConfig(
        [
          '--throttle',
          'off',
          '--throttle-limit',
          '5',
          '--throttle-window-seconds',
          '10',
          '--throttle-count-rejected',
          'false',
          '--rate-limit-headers',
          'true',
          '--auto-connections',
          'false',
        ],
        {},
      ),
    ).toMatchObject({
      throttle: { enabled: false, limit: 5, windowSeconds: 10, countRejected: false },
      rateLimitHeaders: true,
      autoConnections: false,
    })
    expect(
      loadConfig(
        [
          '--seed',
          '42',
          '--control-key',
          'sixteen-chars-key',
          '--journal-size',
          '0',
          '--journal-body-limit',
          '10',
          '--export-on-exit',
          'out.json',
          '--coverage-report',
          'coverage.md',
        ],
        {},
      ),
    ).toMatchObject({
      randomSeed: 42,
      controlKey: 'sixteen-chars-key',
      journal: { size: 0, bodyLimit: 10 },
      exportOnExit: resolve('out.json'),
      coverageReport: resolve('coverage.md'),
    })
    expect(loadConfig([], { PAAE_THROTTLE_LIMIT: '7', PAAE_AUTO_CONNECTIONS: 'false' })).toMatchObject({
      throttle: { limit: 7 },
      autoConnections: false,
    })
    expect(loadConfig(['--db=x.sqlite'], {}).db).toBe(resolve('x.sqlite'))
  })

  it('takes --throttle-flow-api bare, with true or false, or from PAAE_THROTTLE_FLOW_API', () => {
    expect(loadConfig(['--throttle-flow-api'], {}).throttleFlowApi).toBe(true)
    expect(loadConfig(['--throttle-flow-api=true', '--port', '0'], {}).throttleFlowApi).toBe(true)
    expect(loadConfig(['--throttle-flow-api=false'], {}).throttleFlowApi).toBe(false)
    expect(loadConfig(['--throttle-flow-api', 'false', '--port', '0'], {}).throttleFlowApi).toBe(false)
    expect(loadConfig([], { PAAE_THROTTLE_FLOW_API: 'true' }).throttleFlowApi).toBe(true)
    expect(loadConfig([], { PAAE_THROTTLE_FLOW_API: 'false' }).throttleFlowApi).toBe(false)
    expect(
      loadConfig(['--throttle-flow-api=false'], { PAAE_THROTTLE_FLOW_API: 'true' }).throttleFlowApi,
    ).toBe(false)
  })

  it('reads every environment variable, and flags win over them', () => {
    const env = {
      PAAE_HOST: '0.0.0.0',
      PAAE_PORT: '8080',
      PAAE_DATA_DIR: '/srv/data',
      PAAE_DB: ':memory:',
      PAAE_FIXTURES: '/srv/f.json',
      PAAE_NO_SEED: 'true',
      PAAE_LOG_LEVEL: 'debug',
      PAAE_HTTPS_PORT: '8443',
      PAAE_ISSUER_HOST: 'http://127.0.0.1:7070',
      PAAE_DEVICE_CODE_INTERVAL: '2',
    }
    expect(loadConfig([], env)).toMatchObject({
      host: '0.0.0.0',
      port: 8080,
      dataDir: '/srv/data',
      db: ':memory:',
      fixtures: '/srv/f.json',
      seed: false,
      logLevel: 'debug',
      httpsPort: 8443,
      issuerHost: 'http://127.0.0.1:7070',
      deviceCodeInterval: 2,
    })
    expect(loadConfig(['--port', '9090'], env).port).toBe(9090)
    expect(loadConfig([], { PAAE_NO_SEED: 'false' }).seed).toBe(true)
  })

  it.each([
    [['--port', '70000'], {}, "--port must be a whole number from 0 to 65535; got '70000'"],
    [['--port', 'abc'], {}, "--port must be a whole number from 0 to 65535; got 'abc'"],
    [[], { PAAE_PORT: '-1' }, "PAAE_PORT must be a whole number from 0 to 65535; got '-1'"],
    [
      ['--log-level', 'loud'],
      {},
      "--log-level must be one of fatal, error, warn, info, debug, trace, silent; got 'loud'",
    ],
    [['--host', ''], {}, '--host must not be empty'],
    [['--colour'], {}, /Unknown option '--colour'/],
    [['extra'], {}, /Unexpected argument 'extra'/],
    [['--no-seed=maybe'], {}, "--no-seed must be true or false; got 'maybe'"],
    [['--no-seed', 'extra'], {}, "--no-seed must be true or false; got 'extra'"],
    [['--port'], {}, "Option '--port' needs a value"],
    [['--port', '--host', 'x'], {}, "Option '--port' needs a value"],
    [[], { PAAE_HOST: ' ' }, 'PAAE_HOST must not be empty'],
    [[], { PAAE_NO_SEED: 'maybe' }, "PAAE_NO_SEED must be true or false; got 'maybe'"],
    [[], { PAAE_PROT: '1' }, /^Unknown environment variable PAAE_PROT/],
    [['--https-port', 'on'], {}, "--https-port must be a whole number from 0 to 65535, or off; got 'on'"],
    [['--tls-cert', 'fixtures/certs/contoso-automation.pem'], {}, '--tls-cert and --tls-key go together'],
    [['--tls-key', '/no/such.pem'], {}, "--tls-key: cannot read '/no/such.pem' (ENOENT)"],
    [['--proxy-port', 'yes'], {}, "--proxy-port must be a whole number from 0 to 65535, or off; got 'yes'"],
    [[], { PAAE_PROXY_PORT: '65536' }, /PAAE_PROXY_PORT must be a whole number/],
    [['--ca-cert', 'fixtures/certs/contoso-automation.pem'], {}, '--ca-cert and --ca-key go together'],
    [['--shutdown-timeout', '1.5'], {}, /--shutdown-timeout must be a whole number from 0 to 3600/],
    [['--ca-key', '/no/such.pem'], {}, "--ca-key: cannot read '/no/such.pem' (ENOENT)"],
    [
      ['--issuer-host', 'localhost:7443'],
      {},
      "--issuer-host must be an origin such as https://localhost:7443; got 'localhost:7443'",
    ],
    [['--issuer-host', 'https://localhost:7443/path'], {}, /--issuer-host must be an origin/],
    [
      ['--device-code-interval', '0'],
      {},
      "--device-code-interval must be a whole number from 1 to 60; got '0'",
    ],
    [['--device-code-interval', '61'], {}, /--device-code-interval/],
    [['--throttle', 'maybe'], {}, "--throttle must be true or false; got 'maybe'"],
    [[], { PAAE_THROTTLE: 'maybe' }, "PAAE_THROTTLE must be true or false; got 'maybe'"],
    [['--throttle-limit', '0'], {}, "--throttle-limit must be a whole number from 1 to 1000000; got '0'"],
    [
      ['--throttle-window-seconds', '1.5'],
      {},
      /--throttle-window-seconds must be a whole number from 1 to 86400/,
    ],
    [['--throttle-count-rejected', 'yes'], {}, "--throttle-count-rejected must be true or false; got 'yes'"],
    [['--throttle-flow-api=on'], {}, "--throttle-flow-api must be true or false; got 'on'"],
    [[], { PAAE_THROTTLE_FLOW_API: 'maybe' }, "PAAE_THROTTLE_FLOW_API must be true or false; got 'maybe'"],
    [['--rate-limit-headers', '1'], {}, "--rate-limit-headers must be true or false; got '1'"],
    [['--auto-connections', 'on'], {}, "--auto-connections must be true or false; got 'on'"],
    [['--seed=-1'], {}, /--seed must be a whole number from 0 to 4294967295/],
    [['--seed', '-1'], {}, "--seed must be a whole number from 0 to 4294967295; got '-1'"],
    [['--log-format', 'text'], {}, "--log-format must be one of pretty, json; got 'text'"],
    [[], { PAAE_LOG_FORMAT: 'JSON' }, "PAAE_LOG_FORMAT must be one of pretty, json; got 'JSON'"],
    [['--control-key', 'short'], {}, '--control-key must be at least 16 characters'],
    [['--journal-size', '100001'], {}, /--journal-size must be a whole number from 0 to 100000/],
    [['--journal-body-limit', 'x'], {}, /--journal-body-limit must be a whole number/],
    [['--allowed-hosts', 'http://evil.example'], {}, /--allowed-hosts takes comma-separated host names/],
    [['--allowed-hosts', 'a,,b'], {}, /got ''/],
    [['--allowed-hosts', 'host:70000'], {}, /got 'host:70000'/],
    [['--headers-timeout', '0'], {}, /--headers-timeout must be a whole number from 1 to 3600/],
    [['--request-timeout', '3601'], {}, /--request-timeout must be a whole number from 1 to 3600/],
    [['--keep-alive-timeout', 'x'], {}, /--keep-alive-timeout must be a whole number/],
    [['--tunnel-idle-timeout=-1'], {}, /--tunnel-idle-timeout must be a whole number/],
    [
      ['--headers-timeout', '60', '--request-timeout', '30'],
      {},
      '--headers-timeout must not be longer than --request-timeout',
    ],
    [['--max-token-lifetime', '59'], {}, /--max-token-lifetime must be a whole number from 60 to 31536000/],
    [['--max-auto-connections', '1000001'], {}, /--max-auto-connections must be a whole number from 0/],
    [
      ['--export-on-exit', '/no/such/folder/state.json'],
      {},
      /--export-on-exit: cannot write '\/no\/such\/folder\/state.json' \(ENOENT\)/,
    ],
    [['--export-on-exit', '/'], {}, /--export-on-exit: '\/' is a folder/],
  ])('refuses %j %j', (argv, env, message) => {
    expect(() => loadConfig(argv, env)).toThrow(ConfigError)
    expect(() => loadConfig(argv, env)).toThrow(message)
  })

  it('takes true, false or the bare flag for every boolean, and the older spellings', () => {
    expect(loadConfig(['--rate-limit-headers'], {}).rateLimitHeaders).toBe(true)
    expect(loadConfig(['--rate-limit-headers', 'true'], {}).rateLimitHeaders).toBe(true)
    expect(loadConfig(['--rate-limit-headers=false'], {}).rateLimitHeaders).toBe(false)
    expect(loadConfig(['--auto-connections', '--port', '1'], {})).toMatchObject({
      autoConnections: true,
      port: 1,
    })
    expect(loadConfig(['--auto-connections', 'false'], {}).autoConnections).toBe(false)
    expect(loadConfig(['--throttle', 'false'], {}).throttle.enabled).toBe(false)
    expect(loadConfig(['--throttle'], {}).throttle.enabled).toBe(true)
    expect(loadConfig(['--throttle', 'off'], {}).throttle.enabled).toBe(false)
    expect(loadConfig(['--throttle=on'], {}).throttle.enabled).toBe(true)
    expect(loadConfig([], { PAAE_THROTTLE: 'off' }).throttle.enabled).toBe(false)
    expect(loadConfig(['--no-seed'], {}).seed).toBe(false)
    expect(loadConfig(['--no-seed', 'false'], {}).seed).toBe(true)
    expect(loadConfig([], { PAAE_NO_SEED: '1' }).seed).toBe(false)
    expect(loadConfig([], { PAAE_NO_SEED: 'YES' }).seed).toBe(false)
    expect(loadConfig([], { PAAE_NO_SEED: 'no' }).seed).toBe(true)
    expect(loadConfig(['--https-port', 'off'], {}).httpsPort).toBe('off')
    expect(loadConfig(['--proxy-port', 'off'], { PAAE_PROXY_PORT: '8888' }).proxyPort).toBeUndefined()
  })

  it('starts from the same defaults as buildApp', () => {
    const config = loadConfig([], {})
    expect(DEFAULT_THROTTLE).toEqual(config.throttle)
    expect(DEFAULT_JOURNAL).toEqual(config.journal)
    expect(DEFAULTS).toMatchObject({
      'log-level': config.logLevel,
      'device-code-interval': config.deviceCodeInterval,
      'auto-connections': config.autoConnections,
      'rate-limit-headers': config.rateLimitHeaders,
      'no-seed': !config.seed,
    })
  })

  it('documents every setting in --help, aligned and within 100 columns', () => {
    const text = helpText()
    const lines = text.split('\n')
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100)
    const rows = Object.keys(SETTINGS).map((name) => lines.find((line) => line.startsWith(`  --${name} `)))
    for (const [i, name] of Object.keys(SETTINGS).entries()) {
      const row = rows[i]!
      expect(row).toContain(envName(name))
      // The variable and the default start in the same column on every row.
      expect(row.indexOf(envName(name))).toBe(rows[0]!.indexOf('PAAE_HOST'))
      expect(row.indexOf(' default ')).toBe(rows[0]!.indexOf(' default '))
    }
    expect(text).toContain('--help')
  })
})
