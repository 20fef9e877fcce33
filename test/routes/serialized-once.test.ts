import { describe, expect, it, vi } from 'vitest'

import { serializedOnce } from '../../server/flow-api/route-schemas.ts'

/** A reply that records what it was asked to serialize and send. */
function fakeReply() {
  const sent: { contentType: string; payload: unknown }[] = []
  const reply = {
    serialize: vi.fn((payload: unknown) => JSON.stringify(payload)),
    type: (contentType: string) => ({ send: (payload: unknown) => sent.push({ contentType, payload }) }),
  }
  return { reply, sent }
}

describe('serializedOnce (an unchanged answer is serialized once)', () => {
  it('serializes a frozen view once and sends the same text, as JSON, every time', () => {
    const send = serializedOnce()
    const view = Object.freeze([{ name: 'a' }])
    const { reply, sent } = fakeReply()
    send(reply, view, () => ({ value: view }))
    send(reply, view, () => ({ value: view }))
    expect(reply.serialize).toHaveBeenCalledTimes(1)
    expect(sent).toEqual([
      { contentType: 'application/json; charset=utf-8', payload: '{"value":[{"name":"a"}]}' },
      { contentType: 'application/json; charset=utf-8', payload: '{"value":[{"name":"a"}]}' },
    ])
  })

  it('serializes a view that is not frozen (it could change) every time, and another view apart', () => {
    const send = serializedOnce()
    const mutable = [{ name: 'a' }]
    const { reply, sent } = fakeReply()
    send(reply, mutable, () => ({ value: mutable }))
    mutable.push({ name: 'b' })
    send(reply, mutable, () => ({ value: mutable }))
    const other = Object.freeze([{ name: 'c' }])
    send(reply, other, () => ({ value: other }))
    expect(reply.serialize).toHaveBeenCalledTimes(3)
    expect(sent.map((s) => s.payload)).toEqual([
      '{"value":[{"name":"a"}]}',
      '{"value":[{"name":"a"},{"name":"b"}]}',
      '{"value":[{"name":"c"}]}',
    ])
  })

  it('keeps one memo per route: another route serializes the same view with its own serializer', () => {
    const view = Object.freeze([{ name: 'a' }])
    const first = fakeReply()
    serializedOnce()(first.reply, view, () => ({ value: view }))
    const second = fakeReply()
    second.reply.serialize.mockImplementation(() => 'other')
    serializedOnce()(second.reply, view, () => ({ value: view }))
    expect(second.sent[0]!.payload).toBe('other')
  })
})
