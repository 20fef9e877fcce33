import type { EnvironmentRow } from '../../db/repositories/environments.ts'
import type { FlowRow, FlowRunRow } from '../../db/repositories/flows.ts'
import type { PermissionRow } from '../../db/repositories/permissions.ts'
import type { UserDetailsRow } from '../../db/repositories/user-details.ts'
import type { Environment } from '../../schemas/environment.ts'
import type { Flow } from '../../schemas/flow.ts'
import type { ContentLink, FlowRun } from '../../schemas/flow-run.ts'
import type { Permission } from '../../schemas/permission.ts'
import type { UserDetails } from '../../schemas/user-details.ts'

/** How stored rows look on the wire, in the service's shapes (flow-admin-api.md §2). */

const environmentId = (env: string) => `/providers/Microsoft.ProcessSimple/environments/${env}`

export const permissionId = (env: string, flow: string, principalId: string) =>
  `${environmentId(env)}/flows/${flow}/permissions/${principalId}`

/** flow-admin-api.md §2.2; fields the emulator does not model carry the values the capture shows. */
export function toFlow(row: FlowRow, env: EnvironmentRow, detail: 'list' | 'get' = 'list'): Flow {
  const flow: Flow = {
    name: row.name,
    id: `${environmentId(env.name)}/flows/${row.name}`,
    type: 'Microsoft.ProcessSimple/environments/flows',
    properties: {
      apiId: '/providers/Microsoft.PowerApps/apis/shared_logicflows',
      displayName: row.display_name,
      userType: 'Owner',
      state: row.deleted_time === null ? row.state : 'Deleted',
      plan: 'NotSpecified',
      createdTime: row.created_time,
      lastModifiedTime: row.last_modified_time,
      // EMULATOR: inferred; the capture shows only "None".
      flowSuspensionReason: row.state === 'Suspended' ? 'FlowFailures' : 'None',
      environment: {
        name: env.name,
        type: 'Microsoft.ProcessSimple/environments',
        id: environmentId(env.name),
      },
      creator: {
        tenantId: env.tenant_id,
        objectId: row.creator_id,
        userId: row.creator_id,
        userType: row.creator_type === 'User' ? 'ActiveDirectory' : 'ServicePrincipal',
      },
      provisioningMethod: 'FromDefinition',
      flowFailureAlertSubscribed: true,
      isManaged: false,
      installationStatus: 'Installed',
    },
  }
  // EMULATOR: flows have no definition here, so the summary a GET carries (the CLI for M365's
  // `flow get` reads it) is empty: no triggers, no actions, no description.
  if (detail === 'get') flow.properties.definitionSummary = { triggers: [], actions: [], description: '' }
  return flow
}

/**
 * An environment as the non-admin environments list shows it. EMULATOR: inferred from the CLI for
 * Microsoft 365's fields; the SKU, type and region hint are fixed values, not modelled.
 */
export function toEnvironment(row: EnvironmentRow): Environment {
  const isDefault = row.is_default === 1
  return {
    name: row.name,
    location: row.location,
    type: 'Microsoft.ProcessSimple/environments',
    id: environmentId(row.name),
    properties: {
      displayName: row.display_name,
      createdTime: row.created_time,
      provisioningState: 'Succeeded',
      creationType: isDefault ? 'DefaultTenant' : 'User',
      environmentSku: isDefault ? 'Default' : 'Production',
      environmentType: isDefault ? 'Default' : 'Production',
      isDefault,
      azureRegionHint: row.location,
    },
  }
}

/**
 * A run as the runs list shows it. EMULATOR: runs are stored with a name, a status and a start
 * time only; the trigger is named `manual`, and no end time or inputs/outputs links are given.
 */
export function toFlowRun(row: FlowRunRow, env: EnvironmentRow, outputsLink: ContentLink): FlowRun {
  const correlation = { clientTrackingId: row.name }
  return {
    name: row.name,
    id: `${environmentId(env.name)}/flows/${row.flow}/runs/${row.name}`,
    type: 'Microsoft.ProcessSimple/environments/flows/runs',
    properties: {
      startTime: row.start_time,
      ...(row.end_time === null ? {} : { endTime: row.end_time }),
      status: row.status,
      correlation,
      // The trigger fired when the run started: it succeeded, at once.
      trigger: {
        name: row.trigger_name,
        outputsLink,
        startTime: row.start_time,
        endTime: row.start_time,
        correlation,
        code: 'OK',
        status: 'Succeeded',
      },
    },
  }
}

/** flow-admin-api.md §2.1: `name` is the principal, `id` the non-admin resource path. */
export function toPermission(row: PermissionRow, env: EnvironmentRow): Permission {
  return {
    name: row.principal_id,
    id: permissionId(env.name, row.flow, row.principal_id),
    type: '/providers/Microsoft.ProcessSimple/environments/flows/permissions',
    properties: {
      roleName: row.role_name,
      permissionType: 'Principal',
      principal: { id: row.principal_id, type: row.principal_type },
    },
  }
}

export function toUserDetails(row: UserDetailsRow): UserDetails {
  return {
    tenantId: row.tenant_id,
    puid: row.puid,
    objectId: row.object_id,
    isDisallowedForInternalPlans: row.is_disallowed_for_internal_plans === 1,
    consentTime: row.consent_time,
    serviceSettingsSelectionTime: row.service_settings_selection_time,
    consentBusinessAppPlatformTime: row.consent_business_app_platform_time,
  }
}
