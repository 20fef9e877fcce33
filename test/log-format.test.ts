import { Writable } from 'node:stream'

import { describe, expect, it } from 'vitest'

import { buildTestApp } from './helpers/build-test-app.ts'
import { ADMIN, API, CONTOSO } from './helpers/demo.ts'

/** The text lines a pretty-format app writes. */
function captureText(): { logStream: Writable; lines: string[] } {
  const lines: string[] = []
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean))
      done()
    },
  })
  return { logStream, lines }
}

const TIME = String.raw`\d{2}:\d{2}:\d{2}\.\d{3}`

describe('--log-format pretty', () => {
  it('writes a request as one compact line: method, path, status, ms, operation', async () => {
    const { logStream, lines } = captureText()
    const t = await buildTestApp({ logLevel: 'info', logFormat: 'pretty', logStream })
    const token = await t.mint({ user: CONTOSO.admin.upn })
    lines.length = 0
    const url = `${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}?${API}`
    expect((await t.as(token, { method: 'GET', url })).statusCode).toBe(200)
    expect(lines).toHaveLength(1)
    const escaped = url.replace(/[.?*+^$()[\]{}|\\]/g, '\\$&')
    expect(lines[0]).toMatch(new RegExp(`^${TIME} INFO  GET ${escaped} 200 \\d+(\\.\\d+)? ms Get-AdminFlow$`))
  })

  it('adds the ids and the caller at debug; other lines are the message and key=value pairs', async () => {
    const { logStream, lines } = captureText()
    const t = await buildTestApp({ logLevel: 'debug', logFormat: 'pretty', logStream })
    lines.length = 0
    const res = await t.app.inject({ method: 'GET', url: '/_emulator/health' })
    const request = lines.find((l) => l.includes(' GET /_emulator/health '))
    expect(request).toMatch(new RegExp(`^${TIME} INFO  GET /_emulator/health 200 \\S+ ms \\S+ reqId=`))
    expect(request).toContain(`reqId=${res.headers['x-ms-request-id'] as string}`)
    expect(request).toContain(`correlationId=${res.headers['x-ms-correlation-request-id'] as string}`)

    t.app.log.warn({ host: '0.0.0.0', note: 'two words' }, 'listening beyond loopback')
    expect(lines.at(-1)).toMatch(
      new RegExp(`^${TIME} WARN  listening beyond loopback host=0\\.0\\.0\\.0 note="two words"$`),
    )
    t.app.log.error({ err: new Error('boom'), file: '/tmp/x' }, 'could not export')
    const error = lines.join('\n')
    expect(error).toMatch(new RegExp(`${TIME} ERROR could not export file=/tmp/x\\n {4}Error: boom\\n +at `))
  })

  it('json stays the default of buildApp: one JSON object a line', async () => {
    const { logStream, lines } = captureText()
    const t = await buildTestApp({ logLevel: 'info', logStream })
    await t.app.inject({ method: 'GET', url: '/_emulator/health' })
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ msg: 'request completed', url: '/_emulator/health' })
  })
})
