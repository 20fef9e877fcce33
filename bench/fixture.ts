import { readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import type { FixtureDocument } from '../schemas/fixture.ts'

/** The demo tenant with `flows` generated flows in Contoso's default environment (and permissions on the first). */
export function makeFixture(options: { flows: number; permissionsOnFirstFlow: number }): string {
  const doc = JSON.parse(
    readFileSync(new URL('../fixtures/demo-tenant.json', import.meta.url), 'utf8'),
  ) as FixtureDocument
  const env = doc.tenants[0]!.environments[0]!
  const hex = (n: number) => n.toString(16).padStart(12, '0')
  for (let i = 0; i < options.flows; i++) {
    env.flows.push({
      name: `00000000-0000-4000-8000-${hex(i)}`,
      displayName: `Generated ${i}`,
      state: 'Started',
      createdTime: '2025-01-01T00:00:00.0000000Z',
      lastModifiedTime: '2025-01-01T00:00:00.0000000Z',
      creator: { objectId: 'aa85b976-6c9b-4a2d-93d9-b834a1e41e65', type: 'User' },
      permissions:
        i === 0
          ? Array.from({ length: options.permissionsOnFirstFlow }, (_, p) => ({
              principalId: `11111111-0000-4000-8000-${hex(p)}`,
              principalType: 'User' as const,
              roleName: 'CanView' as const,
            }))
          : [],
    })
  }
  const file = join(tmpdir(), `paae-bench-${options.flows}.json`)
  writeFileSync(file, JSON.stringify(doc))
  return file
}
