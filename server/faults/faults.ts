import type { FaultRule, FaultRuleInput } from '../../schemas/control.ts'
import type { RandomSource } from '../random.ts'

export type { FaultRule, FaultRuleInput }

export interface FaultTarget {
  operationId: string | null
  method: string
  path: string
  tenant: string | null
  connection: string | null
}

/** What the presets answer: the gateway's throttle, and a service outage. */
export const PRESETS: Record<
  'throttle' | 'unavailable',
  Pick<FaultRuleInput, 'status' | 'body' | 'headers'>
> = {
  throttle: {
    status: 429,
    body: { statusCode: 429, message: 'Rate limit is exceeded. Try again in 10 seconds.' },
    headers: { 'retry-after': '10' },
  },
  unavailable: {
    status: 503,
    body: {
      error: {
        code: 'ServiceUnavailable',
        message: 'The service is temporarily unavailable. Try again in 10 seconds.',
      },
    },
    headers: { 'retry-after': '10' },
  },
}

/** `*` within a path segment, `**` across segments, `?` one character. */
export function globToRegExp(glob: string): RegExp {
  const source = glob
    .split(/(\*\*|\*|\?)/)
    .map((part) =>
      part === '**'
        ? '.*'
        : part === '*'
          ? '[^/]*'
          : part === '?'
            ? '[^/]'
            : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
    )
    .join('')
  return new RegExp(`^${source}$`, 'i')
}

/**
 * Fault rules: the match fields select requests; the action answers instead of the
 * handler (`status`, `body`, `headers`), delays (`delayMs`) or drops the connection; a rule fires
 * for the next `times` matches, or with `probability`, drawn from the emulator's random source
 * (seeded by `--seed`, so runs repeat).
 */
export function createFaults(random: RandomSource) {
  let rules: (FaultRule & { pattern?: RegExp })[] = []
  const eq = (a: string | undefined, b: string | null) =>
    a === undefined || (b !== null && a.toLowerCase() === b.toLowerCase())
  return {
    add(input: FaultRuleInput): FaultRule {
      const preset = input.preset ? PRESETS[input.preset] : {}
      const rule = { ...preset, ...input, id: random.uuid(), fired: 0 }
      rules.push({ ...rule, ...(input.path ? { pattern: globToRegExp(input.path) } : {}) })
      return rule
    },
    list: (): FaultRule[] => rules.map(({ pattern: _pattern, ...rule }) => rule),
    /** No rules: the request path skips fault matching entirely. */
    isEmpty: () => rules.length === 0,
    remove(id: string): boolean {
      const before = rules.length
      rules = rules.filter((r) => r.id !== id)
      return rules.length < before
    },
    clear(predicate?: (rule: FaultRule) => boolean): void {
      rules = predicate ? rules.filter((r) => !predicate(r)) : []
    },
    /** The first rule that matches and fires for this request; a `times` rule is used up as it fires. */
    fire(target: FaultTarget): FaultRule | undefined {
      for (const rule of rules) {
        if (!eq(rule.operationId, target.operationId) || !eq(rule.method, target.method)) continue
        if (!eq(rule.tenant, target.tenant) || !eq(rule.connection, target.connection)) continue
        if (rule.pattern && !rule.pattern.test(target.path)) continue
        if (rule.probability !== undefined && random.fraction() >= rule.probability) continue
        rule.fired++
        if (rule.times !== undefined && rule.fired >= rule.times) rules = rules.filter((r) => r !== rule)
        const { pattern: _pattern, ...fired } = rule
        return fired
      }
      return undefined
    },
  }
}
export type Faults = ReturnType<typeof createFaults>
