import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'

import type { FlowRunRow } from '../../db/repositories/flows.ts'
import type { Repositories } from '../../db/repositories/index.ts'
import { ErrorEnvelope, PathSegment } from '../../schemas/common.ts'
import type { ContentLink } from '../../schemas/flow-run.ts'
import { described, presetResponses } from '../../schemas/responses.ts'
import { toFlowTimestamp } from '../clock.ts'
import { errors } from '../errors/index.ts'

/**
 * A run's trigger outputs behind a signed link, as Logic Apps serves run contents: the link
 * carries its expiry (`se`), permission (`sp`) and an HMAC (`sig`), and is read without a token
 * (the CLI for Microsoft 365 sends none: `x-anonymous`).
 * EMULATOR: the link is on the host the run was read from (api.flow.microsoft.com through the
 * proxy), not on a regional logic.azure.com host; the HMAC key is the tenant's signing key.
 */

const LINK_LIFETIME_SECONDS = 24 * 60 * 60
const CONTENT_PATH = (env: string, flow: string, run: string) =>
  `/providers/Microsoft.ProcessSimple/environments/${env}/flows/${flow}/runs/${run}/contents/TriggerOutputs`

interface LinkTarget {
  tenantId: string
  environment: string
  flow: string
  run: string
}

function signature(repos: Repositories, target: LinkTarget, permission: string, expiry: string) {
  const key = repos.tenants.signingKey(target.tenantId)?.private_key_pem ?? ''
  const signed = [target.environment, target.flow, target.run].map((s) => s.toLowerCase()).join('/')
  return createHmac('sha256', key).update(`${signed}\n${permission}\n${expiry}`).digest('base64url')
}

const permissionOf = (run: string) => `/runs/${run}/contents/TriggerOutputs/read`

/** The outputs link of a run, valid for a day from `now`, on `origin`. */
export function triggerOutputsLink(
  repos: Repositories,
  origin: string,
  target: LinkTarget,
  row: FlowRunRow,
  now: Date,
): ContentLink {
  const expiry = toFlowTimestamp(new Date(now.getTime() + LINK_LIFETIME_SECONDS * 1000))
  const permission = permissionOf(row.name)
  const query = new URLSearchParams({
    'api-version': '2016-06-01',
    se: expiry,
    sp: permission,
    sv: '1.0',
    sig: signature(repos, target, permission, expiry),
  })
  const md5 = createHash('md5').update(row.trigger_outputs).digest('base64')
  return {
    uri: `${origin}${CONTENT_PATH(target.environment, target.flow, target.run)}?${query.toString()}`,
    contentVersion: md5,
    contentSize: Buffer.byteLength(row.trigger_outputs),
    contentHash: { algorithm: 'md5', value: md5 },
  }
}

const ContentParams = Type.Object({ environment: PathSegment, flow: PathSegment, run: PathSegment })
const ContentQuery = Type.Object(
  {
    se: Type.String({ maxLength: 64, description: 'Expiry of the link' }),
    sp: Type.String({ maxLength: 512, description: 'What the link permits' }),
    sig: Type.String({ maxLength: 128, description: 'The HMAC of the link' }),
  },
  { additionalProperties: true },
)

/** Serves the signed links; registered outside the Flow API's token gate. */
const runContents: FastifyPluginAsyncTypebox = async (app) => {
  const { repos, clock } = app
  app.get(
    '/environments/:environment/flows/:flow/runs/:run/contents/TriggerOutputs',
    {
      schema: {
        operationId: 'Get-FlowRunTriggerOutputs',
        summary: "A run's trigger outputs, through the signed link of its outputsLink (no token)",
        tags: ['Flow API'],
        params: ContentParams,
        querystring: ContentQuery,
        response: {
          200: Type.Record(Type.String(), Type.Unknown(), { description: "The trigger's outputs" }),
          400: described(ErrorEnvelope, 'A required parameter is missing'),
          403: described(ErrorEnvelope, 'The signature is not valid or the link has expired'),
          404: described(ErrorEnvelope, 'No such run'),
          ...presetResponses(),
        },
      },
    },
    (request) => {
      const { environment, flow, run } = request.params
      const env = repos.environments.findByName(environment)
      const target = { tenantId: env?.tenant_id ?? '', environment, flow, run }
      const { se, sp, sig } = request.query
      const expected = Buffer.from(signature(repos, target, sp, se))
      const given = Buffer.from(sig)
      if (
        !env ||
        sp !== permissionOf(run) ||
        given.length !== expected.length ||
        !timingSafeEqual(given, expected)
      )
        throw errors.invalidContentSignature()
      if (!(Date.parse(se) > clock.now().getTime())) throw errors.contentLinkExpired()
      const row = repos.flows.findRun(env.name, flow, run)
      if (!row) throw errors.flowRunNotFound(run)
      return JSON.parse(row.trigger_outputs) as Record<string, unknown>
    },
  )
}

export default runContents
