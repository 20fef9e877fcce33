import { readFileSync } from 'node:fs'

import { describe, expect, it } from 'vitest'

import { README_PATH, settingsTable, withSettingsTable } from '../server/settings-readme.ts'
import { envName, SETTINGS } from '../server/settings.ts'

describe("README's settings table", () => {
  it('is generated from the settings table: run `npm run docs:settings` after changing a setting', () => {
    const readme = readFileSync(README_PATH, 'utf8')
    expect(withSettingsTable(readme)).toBe(readme)
  })

  it('lists every setting with its flag, variable and default', () => {
    const table = settingsTable()
    for (const name of Object.keys(SETTINGS)) {
      expect(table).toMatch(new RegExp(`^\\| \`--${name}\` +\\| \`${envName(name)}\` +\\|`, 'm'))
    }
    expect(table).toMatch(/^\| `--port` .*\| `7070` +\|/m)
  })

  it('changes only what is between the markers', () => {
    const before = 'intro\n<!-- settings-table:start -->\nold\n<!-- settings-table:end -->\noutro\n'
    const after = withSettingsTable(before)
    expect(after.startsWith('intro\n<!-- settings-table:start -->\n\n| flag')).toBe(true)
    expect(after.endsWith('|\n\n<!-- settings-table:end -->\noutro\n')).toBe(true)
    expect(() => withSettingsTable('no markers')).toThrow(/markers/)
  })
})
