import { fileURLToPath } from 'node:url'

import { describe, expect, it } from 'vitest'

import { cycles, layerViolations, readImportGraph, type ImportGraph } from './import-graph.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

const graphOf = (edges: Record<string, string[]>): ImportGraph =>
  new Map(Object.entries(edges).map(([from, to]) => [from, new Set(to)]))

describe('the import graph of the server (ARCHITECTURE.md, "Layers")', () => {
  const graph = readImportGraph(ROOT)

  it('reads the real imports, type-only ones included', () => {
    expect(graph.get('connector')).toContain('flow-api')
    expect(graph.get('plugins')).toContain('state') // `import type` only
    expect(graph.get('db')).toEqual(new Set(['schemas']))
  })

  it('has no two modules that import each other, directly or round a loop', () => {
    expect(cycles(graph)).toEqual([])
  })

  it('places every module in a layer, and no import points up the layers', () => {
    expect(layerViolations(graph)).toEqual({ upward: [], unplaced: [] })
  })

  it('fails on a planted violation of the real graph: a plugin importing a surface', () => {
    const planted: ImportGraph = new Map([...graph].map(([from, to]) => [from, new Set(to)]))
    planted.get('plugins')!.add('connector')
    expect(cycles(planted)).toEqual([['connector', 'flow-api', 'plugins']])
    expect(layerViolations(planted).upward).toEqual(['plugins -> connector'])
  })
})

describe('the checks themselves, on synthetic graphs', () => {
  const layers = [['surface'], ['service'], ['data']]

  it('find a two-way pair and a longer loop, and nothing in a tree', () => {
    expect(cycles(graphOf({ a: ['b'], b: ['a'], c: ['a'] }))).toEqual([['a', 'b']])
    expect(cycles(graphOf({ a: ['b'], b: ['c'], c: ['a'], d: ['d2'] }))).toEqual([['a', 'b', 'c']])
    expect(cycles(graphOf({ a: ['b', 'c'], b: ['c'], c: [] }))).toEqual([])
  })

  it('find an import up the layers, and a module no layer names', () => {
    expect(layerViolations(graphOf({ surface: ['service', 'data'], service: ['data'] }), layers)).toEqual({
      upward: [],
      unplaced: [],
    })
    expect(layerViolations(graphOf({ data: ['service'], service: ['stray'] }), layers)).toEqual({
      upward: ['data -> service'],
      unplaced: ['stray'],
    })
  })
})
