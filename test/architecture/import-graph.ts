import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'

import ts from 'typescript'

/**
 * The layers of the server, top to bottom, as ARCHITECTURE.md states them. A module may import
 * its own layer or any layer below it, never one above; and no two modules, in any layer, may
 * depend on each other, directly or round a longer loop. A module is a folder of `server/`, a
 * file at its top, or `db/` and `schemas/` as wholes.
 */
export const LAYERS: readonly (readonly string[])[] = [
  // Entry points and composition: the CLI, the app factory, the listeners.
  [
    'main',
    'index',
    'vitest',
    'app',
    'listen',
    'openapi-file',
    'settings-readme',
    'token-command',
    'wait-command',
    'wait-for-ready',
    'command-options',
    'open-store',
    'data-dir',
  ],
  // Surfaces and control: what answers a client, each in its own folder.
  ['flow-api', 'connector', 'arm', 'entra', 'graph', 'control', 'dashboard', 'proxy'],
  // Cross-cutting Fastify plugins: services, auth, throttle headers, journal, faults, coverage, OpenAPI.
  ['plugins'],
  // Shared HTTP helpers: envelopes, empty replies, surfaces, facts about a request.
  ['http'],
  // Services: the emulator's logic and state, free of Fastify's request cycle.
  [
    'auth',
    'state',
    'journal',
    'faults',
    'coverage',
    'throttle',
    'hosts',
    'tls',
    'errors',
    'clock',
    'random',
    'live-events',
    'traffic',
    'endpoints',
    'fixtures',
    'version',
    'log-format',
    'log-destination',
  ],
  // Configuration, read once.
  ['config', 'settings', 'timeouts', 'files', 'startup-error'],
  // Data: repositories and migrations, and the schemas everything is typed by.
  ['db', 'schemas'],
]

/** Module -> the modules it imports (type-only and dynamic imports count too). */
export type ImportGraph = Map<string, Set<string>>

/** The module a file belongs to (see LAYERS), from its path relative to the repository. */
export function moduleOf(path: string): string {
  const parts = path.split(sep).join('/').split('/')
  if (parts[0] !== 'server') return parts[0]!
  return parts.length === 2 ? parts[1]!.replace(/\.ts$/, '') : parts[1]!
}

function sourceFiles(root: string, folder: string): string[] {
  const files: string[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      // The dashboard's client runs in the browser and is compiled on its own.
      if (entry.isDirectory()) {
        if (relative(root, path) !== join('server', 'dashboard', 'client')) walk(path)
      } else if (entry.name.endsWith('.ts')) files.push(path)
    }
  }
  walk(join(root, folder))
  return files
}

/** The import graph of server/, db/ and schemas/ between modules, read with TypeScript's own parser. */
export function readImportGraph(root: string): ImportGraph {
  const graph: ImportGraph = new Map()
  for (const file of ['server', 'db', 'schemas'].flatMap((folder) => sourceFiles(root, folder))) {
    const from = moduleOf(relative(root, file))
    const targets = graph.get(from) ?? new Set<string>()
    graph.set(from, targets)
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue
      const to = moduleOf(relative(root, resolve(dirname(file), fileName)))
      if (to !== from) targets.add(to)
    }
  }
  return graph
}

/** Groups of modules that depend on each other (strongly connected components of two or more). */
export function cycles(graph: ImportGraph): string[][] {
  // Tarjan's algorithm.
  let counter = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (node: string) => {
    index.set(node, counter)
    low.set(node, counter++)
    stack.push(node)
    onStack.add(node)
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next)
        low.set(node, Math.min(low.get(node)!, low.get(next)!))
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!))
    }
    if (low.get(node) !== index.get(node)) return
    const component: string[] = []
    let member: string
    do {
      member = stack.pop()!
      onStack.delete(member)
      component.push(member)
    } while (member !== node)
    if (component.length > 1) found.push(component.sort())
  }
  for (const node of graph.keys()) if (!index.has(node)) visit(node)
  return found
}

/** Imports that point up the layers (`from -> to`), and modules that no layer names. */
export function layerViolations(
  graph: ImportGraph,
  layers: readonly (readonly string[])[] = LAYERS,
): { upward: string[]; unplaced: string[] } {
  const layerOf = new Map(layers.flatMap((members, layer) => members.map((m) => [m, layer] as const)))
  const upward: string[] = []
  const unplaced = new Set<string>()
  for (const [from, targets] of graph) {
    if (!layerOf.has(from)) unplaced.add(from)
    for (const to of targets) {
      if (!layerOf.has(to)) unplaced.add(to)
      else if (layerOf.has(from) && layerOf.get(to)! < layerOf.get(from)!) upward.push(`${from} -> ${to}`)
    }
  }
  return { upward: upward.sort(), unplaced: [...unplaced].sort() }
}
