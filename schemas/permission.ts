import { Type, type Static } from 'typebox'

import { Guid } from './common.ts'

export const PrincipalType = Type.Enum(['User', 'Group', 'ServicePrincipal'])
export type PrincipalType = Static<typeof PrincipalType>

/** Roles a client may grant; `Owner` is the creator's and is never granted (flow-admin-api.md §1.4). */
export const GrantableRole = Type.Enum(['CanView', 'CanViewWithShare', 'CanEdit'])
export type GrantableRole = Static<typeof GrantableRole>
export type RoleName = GrantableRole | 'Owner'

/** One entry of GET .../permissions (flow-admin-api.md §2.1). */
export const Permission = Type.Object(
  {
    name: Type.String({ description: 'The principal object id' }),
    id: Type.String(),
    type: Type.Literal('/providers/Microsoft.ProcessSimple/environments/flows/permissions'),
    properties: Type.Object({
      roleName: Type.String(),
      permissionType: Type.Literal('Principal'),
      principal: Type.Object({ id: Type.String(), type: Type.String() }),
    }),
  },
  { description: 'A permission (owner role) of a flow' },
)
export type Permission = Static<typeof Permission>

export const PermissionList = Type.Object(
  { value: Type.Array(Permission) },
  { description: 'Every permission of the flow, in one response' },
)

/** Limits keep one request's work bounded. */
export const MAX_PERMISSION_CHANGES = 500

// The real service ignores fields it does not know (clients send `email: null` for groups,
// flow-admin-api.md §1.2), so principals accept extra fields; the top level is strict so a
// misspelt `puts` is not silently a no-op.
export const ModifyPermissionsBody = Type.Object(
  {
    put: Type.Optional(
      Type.Array(
        Type.Object({
          properties: Type.Object({
            principal: Type.Object({
              id: Guid,
              type: PrincipalType,
              email: Type.Optional(Type.Union([Type.String({ maxLength: 320 }), Type.Null()])),
              displayName: Type.Optional(Type.Union([Type.String({ maxLength: 256 }), Type.Null()])),
            }),
            roleName: GrantableRole,
          }),
        }),
        { maxItems: MAX_PERMISSION_CHANGES },
      ),
    ),
    delete: Type.Optional(
      Type.Array(
        Type.Object({
          id: Type.String({
            minLength: 1,
            maxLength: 512,
            description: 'A principal object id, or the full permission id from GET .../permissions',
          }),
        }),
        { maxItems: MAX_PERMISSION_CHANGES },
      ),
    ),
  },
  { additionalProperties: false },
)
export type ModifyPermissionsBody = Static<typeof ModifyPermissionsBody>
