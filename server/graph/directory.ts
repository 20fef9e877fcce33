import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'

import type { GroupRow, UserRow } from '../../db/repositories/directory.ts'
import { callerOf } from '../plugins/auth.ts'
import { graphErrors } from '../errors/index.ts'
import { odataContext, parseEqFilter, parseSelect, selectFields } from './odata.ts'
import { HOST_NOT_ALLOWED } from '../../schemas/common.ts'
import { described, GraphErrorBody, presetResponses } from '../../schemas/responses.ts'

const TAGS = ['Microsoft Graph']
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const USER_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const
const GROUP_PROPERTIES = [
  'id',
  'deletedDateTime',
  'description',
  'displayName',
  'groupTypes',
  'mail',
  'mailEnabled',
  'mailNickname',
  'securityEnabled',
  'visibility',
] as const
const USER_FILTERS = ['id', 'userPrincipalName', 'mail', 'displayName'] as const
const GROUP_FILTERS = ['id', 'displayName', 'mailNickname'] as const

/** A user as Graph's default projection shows it (https://learn.microsoft.com/graph/api/user-get). */
function toGraphUser(u: UserRow): Record<string, unknown> {
  return {
    businessPhones: [],
    displayName: u.display_name,
    givenName: u.given_name,
    jobTitle: null,
    mail: u.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: u.surname,
    userPrincipalName: u.upn,
    id: u.object_id,
  }
}

/** A security group (the emulator's directory models no other kind). */
function toGraphGroup(g: GroupRow): Record<string, unknown> {
  return {
    id: g.object_id,
    deletedDateTime: null,
    description: null,
    displayName: g.display_name,
    groupTypes: [],
    mail: null,
    mailEnabled: false,
    mailNickname: g.display_name.replace(/[^A-Za-z0-9]/g, ''),
    securityEnabled: true,
    visibility: null,
  }
}

const Query = Type.Object(
  {
    $filter: Type.Optional(Type.String({ maxLength: 2048 })),
    $select: Type.Optional(Type.String({ maxLength: 1024 })),
    $top: Type.Optional(Type.Integer({ minimum: 1, maximum: 999 })),
  },
  { additionalProperties: true },
)
const ById = Type.Object({ id: Type.String({ minLength: 1, maxLength: 320 }) })
const SelectQuery = Type.Object(
  { $select: Type.Optional(Type.String({ maxLength: 1024 })) },
  { additionalProperties: true },
)
const Entity = Type.Object({}, { additionalProperties: true, description: 'A directory object' })
const Collection = Type.Object(
  { '@odata.context': Type.String(), value: Type.Array(Entity) },
  { description: 'A collection' },
)
const errorResponses = {
  400: described(GraphErrorBody, 'A query Graph cannot answer (BadRequest, Request_UnsupportedQuery)'),
  401: described(GraphErrorBody, 'Missing or invalid token (InvalidAuthenticationToken)'),
  403: described(GraphErrorBody, HOST_NOT_ALLOWED),
  404: described(GraphErrorBody, 'No such object (Request_ResourceNotFound)'),
  ...presetResponses(),
}

/** /v1.0/me, /v1.0/users and /v1.0/groups, read from the caller's tenant. */
const directory: FastifyPluginAsyncTypebox = async (app) => {
  const { repos } = app

  const findUser = (tenantId: string, key: string) =>
    GUID.test(key) ? repos.directory.findUser(tenantId, key) : repos.directory.findUserByUpn(tenantId, key)

  app.get(
    '/me',
    {
      schema: {
        operationId: 'Graph-GetMe',
        summary: 'The signed-in user (delegated tokens only)',
        tags: TAGS,
        querystring: SelectQuery,
        response: { 200: Entity, ...errorResponses },
      },
    },
    async (request) => {
      const caller = callerOf(request)
      if (caller.kind !== 'user') throw graphErrors.meNeedsDelegatedToken()
      const user = repos.directory.findUser(caller.tenantId, caller.objectId)
      if (!user) throw graphErrors.resourceNotFound(caller.objectId)
      const select = parseSelect(request.query.$select, USER_PROPERTIES)
      return {
        '@odata.context': odataContext('users', select, true),
        ...selectFields(toGraphUser(user), select),
      }
    },
  )

  app.get(
    '/users/:id',
    {
      schema: {
        operationId: 'Graph-GetUser',
        summary: 'A user by object id or user principal name',
        tags: TAGS,
        params: ById,
        querystring: SelectQuery,
        response: { 200: Entity, ...errorResponses },
      },
    },
    async (request) => {
      const user = findUser(callerOf(request).tenantId, request.params.id)
      if (!user) throw graphErrors.resourceNotFound(request.params.id)
      const select = parseSelect(request.query.$select, USER_PROPERTIES)
      return {
        '@odata.context': odataContext('users', select, true),
        ...selectFields(toGraphUser(user), select),
      }
    },
  )

  app.get(
    '/users',
    {
      schema: {
        operationId: 'Graph-ListUsers',
        summary: "Users, filtered with `$filter=<property> eq '<value>'`",
        tags: TAGS,
        querystring: Query,
        response: { 200: Collection, ...errorResponses },
      },
    },
    async (request) => {
      const tenantId = callerOf(request).tenantId
      const select = parseSelect(request.query.$select, USER_PROPERTIES)
      let users: UserRow[]
      if (request.query.$filter === undefined) users = repos.directory.listUsers(tenantId)
      else {
        const filter = parseEqFilter(request.query.$filter, USER_FILTERS)
        const wanted = filter.value.toLowerCase()
        if (filter.property === 'id' || filter.property === 'userPrincipalName') {
          const user =
            filter.property === 'id'
              ? GUID.test(filter.value)
                ? repos.directory.findUser(tenantId, filter.value)
                : undefined
              : repos.directory.findUserByUpn(tenantId, filter.value)
          users = user ? [user] : []
        } else {
          const column = filter.property === 'mail' ? 'mail' : 'display_name'
          users = repos.directory.listUsers(tenantId).filter((u) => u[column]?.toLowerCase() === wanted)
        }
      }
      return {
        '@odata.context': odataContext('users', select, false),
        value: users.slice(0, request.query.$top ?? 100).map((u) => selectFields(toGraphUser(u), select)),
      }
    },
  )

  app.get(
    '/groups/:id',
    {
      schema: {
        operationId: 'Graph-GetGroup',
        summary: 'A group by object id',
        tags: TAGS,
        params: ById,
        querystring: SelectQuery,
        response: { 200: Entity, ...errorResponses },
      },
    },
    async (request) => {
      const id = request.params.id
      const group = GUID.test(id) ? repos.directory.findGroup(callerOf(request).tenantId, id) : undefined
      if (!group) throw graphErrors.resourceNotFound(id)
      const select = parseSelect(request.query.$select, GROUP_PROPERTIES)
      return {
        '@odata.context': odataContext('groups', select, true),
        ...selectFields(toGraphGroup(group), select),
      }
    },
  )

  app.get(
    '/groups',
    {
      schema: {
        operationId: 'Graph-ListGroups',
        summary: "Groups, filtered with `$filter=<property> eq '<value>'`",
        tags: TAGS,
        querystring: Query,
        response: { 200: Collection, ...errorResponses },
      },
    },
    async (request) => {
      const tenantId = callerOf(request).tenantId
      const select = parseSelect(request.query.$select, GROUP_PROPERTIES)
      let groups = repos.directory.listGroups(tenantId).map(toGraphGroup)
      if (request.query.$filter !== undefined) {
        const filter = parseEqFilter(request.query.$filter, GROUP_FILTERS)
        const wanted = filter.value.toLowerCase()
        groups = groups.filter((g) => String(g[filter.property]).toLowerCase() === wanted)
      }
      return {
        '@odata.context': odataContext('groups', select, false),
        value: groups.slice(0, request.query.$top ?? 100).map((g) => selectFields(g, select)),
      }
    },
  )
}

export default directory
