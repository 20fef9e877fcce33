import { graphErrors } from '../errors/index.ts'

/**
 * The OData query options the directory look-ups take: `$filter=<property> eq '<value>'` (what
 * PowerShell and the CLI for M365 send to resolve a principal) and `$select`.
 */
export interface EqFilter {
  property: string
  value: string
}

const EQ = /^\s*([A-Za-z]+)\s+eq\s+'((?:[^']|'')*)'\s*$/

/** `userPrincipalName eq 'a@b.com'` → { property: 'userPrincipalName', value: 'a@b.com' }; quotes doubled in OData. */
export function parseEqFilter(filter: string, properties: readonly string[]): EqFilter {
  const match = EQ.exec(filter)
  if (!match)
    throw graphErrors.unsupportedQuery(`Only "<property> eq '<value>'" filters are emulated: '${filter}'.`)
  const property = properties.find((p) => p.toLowerCase() === match[1]!.toLowerCase())
  if (!property) {
    throw graphErrors.unsupportedQuery(
      `The emulator filters only on ${properties.join(', ')}: '${match[1]}'.`,
    )
  }
  return { property, value: match[2]!.replace(/''/g, "'") }
}

/** The properties `$select` asks for, spelled as the entity spells them; undefined for all. */
export function parseSelect(select: string | undefined, properties: readonly string[]): string[] | undefined {
  if (select === undefined || select.trim() === '') return undefined
  return select.split(',').map((name) => {
    const property = properties.find((p) => p.toLowerCase() === name.trim().toLowerCase())
    if (!property)
      throw graphErrors.badRequest(
        `Could not find a property named '${name.trim()}' on type 'microsoft.graph.entity'.`,
      )
    return property
  })
}

/** An entity cut down to `$select` (Graph always keeps what was asked, in the order of the entity). */
export function selectFields<T extends Record<string, unknown>>(
  entity: T,
  select: string[] | undefined,
): Partial<T> {
  if (!select) return entity
  return Object.fromEntries(Object.entries(entity).filter(([k]) => select.includes(k))) as Partial<T>
}

/** `https://graph.microsoft.com/v1.0/$metadata#users(id,displayName)` */
export function odataContext(entitySet: string, select: string[] | undefined, single: boolean): string {
  const projection = select ? `(${select.join(',')})` : ''
  return `https://graph.microsoft.com/v1.0/$metadata#${entitySet}${projection}${single ? '/$entity' : ''}`
}
