import { connect as netConnect, type Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'

import { afterEach, describe, expect, it, onTestFinished } from 'vitest'

import { buildApp } from '../../server/app.ts'
import type { ConnectionTimeouts } from '../../server/config.ts'
import { listen } from '../../server/listen.ts'
import { killEmulators, startEmulator } from '../helpers/child-emulator.ts'

afterEach(killEmulators)

/** Real timeouts, one or two seconds each: they stay out of `npm test`. */
const SHORT: ConnectionTimeouts = {
  headersSeconds: 1,
  requestSeconds: 2,
  keepAliveSeconds: 1,
  tunnelIdleSeconds: 1,
}

async function start() {
  const app = await buildApp({ db: ':memory:', logLevel: 'silent', timeouts: SHORT })
  const listening = await listen(app, {
    host: '127.0.0.1',
    port: 0,
    httpsPort: 0,
    proxyPort: 0,
    dataDir: process.env['EMULATOR_TEST_DATA_DIR']!,
    timeouts: SHORT,
  })
  onTestFinished(() => listening.close())
  const port = (url: string | undefined) => Number(new URL(url!).port)
  return { http: port(listening.httpUrl), https: port(listening.httpsUrl), proxy: port(listening.proxyUrl) }
}

/** Resolves with how long the server took to close the connection (ms), with what it sent. */
function closedWithin(socket: Socket, limitMs: number): Promise<{ ms: number; received: string }> {
  const started = Date.now()
  let received = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`still open after ${limitMs} ms; received ${JSON.stringify(received)}`))
    }, limitMs)
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()))
    socket.on('error', () => undefined)
    socket.once('close', () => {
      clearTimeout(timer)
      resolve({ ms: Date.now() - started, received })
    })
  })
}

/** Sends `text` a character at a time, every `everyMs`, until the socket closes. */
function trickle(socket: { write(s: string): unknown; destroyed: boolean }, text: string, everyMs: number) {
  let i = 0
  const timer = setInterval(() => {
    if (socket.destroyed || i >= text.length) return clearInterval(timer)
    socket.write(text[i++]!)
  }, everyMs)
  timer.unref()
}

const TRICKLED = 'GET /_emulator/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ' + 'a'.repeat(200)

describe('every connection closes', () => {
  it('a TLS connection that never sends a ClientHello is destroyed after --headers-timeout', async () => {
    const { https } = await start()
    const socket = netConnect({ host: '127.0.0.1', port: https })
    const { ms, received } = await closedWithin(socket, 5_000)
    expect(ms).toBeGreaterThanOrEqual(900)
    // No HTTP answer written into a handshake that never happened.
    expect(received).toBe('')
  })

  it('trickled headers on HTTP are answered 408 and closed after --headers-timeout', async () => {
    const { http } = await start()
    const socket = netConnect({ host: '127.0.0.1', port: http })
    trickle(socket, TRICKLED, 200)
    const { ms, received } = await closedWithin(socket, 5_000)
    expect(ms).toBeGreaterThanOrEqual(900)
    expect(received).toMatch(/^HTTP\/1\.1 408 /)
    expect(received).toContain('"code":"RequestTimeout"')
  })

  it('trickled headers on HTTPS are closed after --headers-timeout', async () => {
    const { https } = await start()
    const socket = tlsConnect({
      host: '127.0.0.1',
      port: https,
      servername: 'localhost',
      rejectUnauthorized: false,
    })
    socket.once('secureConnect', () => trickle(socket, TRICKLED, 200))
    const { received } = await closedWithin(socket, 5_000)
    expect(received).toMatch(/^HTTP\/1\.1 408 /)
  })

  it('an idle keep-alive connection is closed after --keep-alive-timeout', async () => {
    const { http } = await start()
    const socket = netConnect({ host: '127.0.0.1', port: http })
    socket.write(`GET /_emulator/health HTTP/1.1\r\nHost: localhost:${http}\r\n\r\n`)
    const { ms, received } = await closedWithin(socket, 5_000)
    expect(received).toMatch(/^HTTP\/1\.1 200 /)
    expect(ms).toBeGreaterThanOrEqual(900)
  })

  it('the proxy closes an idle tunnel after --tunnel-idle-timeout', async () => {
    const { proxy } = await start()
    const socket = netConnect({ host: '127.0.0.1', port: proxy })
    socket.write(
      'CONNECT login.microsoftonline.com:443 HTTP/1.1\r\nHost: login.microsoftonline.com:443\r\n\r\n',
    )
    const { ms, received } = await closedWithin(socket, 5_000)
    expect(received).toMatch(/^HTTP\/1\.1 200 Connection Established/)
    expect(ms).toBeGreaterThanOrEqual(900)
  })

  it('SIGTERM exits within --shutdown-timeout while a TLS connection sits in its handshake', async () => {
    const e = await startEmulator([
      '--port',
      '0',
      '--https-port',
      '0',
      '--db',
      ':memory:',
      '--shutdown-timeout',
      '1',
    ])
    const httpsLine = e.lines.find((l) => l.startsWith('Flow admin API:') && l.includes('https://'))!
    const port = Number(new URL(httpsLine.split(/\s+/)[3]!).port)
    const socket = netConnect({ host: '127.0.0.1', port })
    socket.on('error', () => undefined)
    await new Promise((r) => socket.once('connect', r))
    const started = Date.now()
    e.child.kill('SIGTERM')
    // No timeout flag is passed: with the defaults (30 s for headers) the handshake would stay open
    // well past the 3 s allowed here, so only the shutdown can close it in time.
    const hung = new Promise((resolve) =>
      setTimeout(() => resolve('still running after 10 s'), 10_000).unref(),
    )
    expect(await Promise.race([e.exited, hung])).toBe(0)
    expect(Date.now() - started).toBeLessThan(3_000)
    socket.destroy()
  })
})
