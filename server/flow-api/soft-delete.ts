import { toFlowTimestamp } from '../clock.ts'

/**
 * How long a deleted flow can be restored.
 * EMULATOR: inferred. Microsoft documents that a deleted flow can be restored "within 21 days";
 * the exact purge moment of the real service is unknown. Change it here only.
 */
export const SOFT_DELETE_RETENTION_DAYS = 21

/** Flows deleted before this instant are gone for good. */
export function retentionCutoff(now: Date): string {
  return toFlowTimestamp(new Date(now.getTime() - SOFT_DELETE_RETENTION_DAYS * 86_400_000))
}
