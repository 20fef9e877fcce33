import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

import { defaultText } from './config.ts'
import { envName, SETTINGS, type Setting } from './settings.ts'

/** README.md at the repository root; only the text between the markers is generated. */
export const README_PATH = fileURLToPath(new URL('../README.md', import.meta.url))
const START = '<!-- settings-table:start -->'
const END = '<!-- settings-table:end -->'

/** The settings table as Markdown, aligned as Prettier aligns it. */
export function settingsTable(): string {
  const code = (text: string) => `\`${text}\``
  const rows = Object.entries(SETTINGS).map(([name, setting]: [string, Setting<unknown>]) => [
    code(`--${name}`),
    code(envName(name)),
    literals(setting.accepts),
    setting.defaultText === undefined ? code(defaultText(setting)) : literals(setting.defaultText),
    literals(setting.help),
  ])
  const table = [['flag', 'variable', 'values', 'default', 'meaning'], ...rows].map((row) =>
    row.map((cell) => cell.replaceAll('|', '\\|')),
  )
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)))
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`
  return [line(table[0]!), line(widths.map((w) => '-'.repeat(w))), ...table.slice(1).map(line)].join('\n')
}

/** Flags, paths and placeholders in prose, as code: `<data-dir>` would otherwise read as HTML. */
const literals = (text: string) =>
  text.replace(/(--[a-z-]+|\S*<[a-z-]+>\S*|:memory:|\/_emulator|x-emulator-key|RateLimit-\*)/g, '`$1`')

/** The README with its settings table regenerated; everything outside the markers is kept. */
export function withSettingsTable(readme: string): string {
  const start = readme.indexOf(START)
  const end = readme.indexOf(END)
  if (start === -1 || end < start) throw new Error(`README.md needs the markers ${START} and ${END}`)
  return `${readme.slice(0, start + START.length)}\n\n${settingsTable()}\n\n${readme.slice(end)}`
}

// `npm run docs:settings` writes the table; test/settings-readme.test.ts fails when it is stale.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(README_PATH, withSettingsTable(readFileSync(README_PATH, 'utf8')))
  console.log(`Wrote the settings table in ${README_PATH}`)
}
