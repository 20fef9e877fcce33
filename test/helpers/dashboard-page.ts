import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

import type { Page } from 'playwright-core'

/** A caller key as the throttle and the journal store it: never shown as text on the page. */
export const CALLER_KEY = /caller:[0-9a-f-]{36}:/i

/**
 * What is wrong with the page's layout as a user would see it: the document scrolling sideways,
 * an interactive element that is visible but lies (partly) outside the viewport horizontally or is
 * cut by an ancestor that clips its overflow, and any raw caller key in the visible text.
 */
export function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(LAYOUT_CHECK)
}

/** Runs in the page (as text: the tests are compiled without the DOM's types). */
const LAYOUT_CHECK = String.raw`(() => {
  const problems = []
  const doc = document.documentElement
  const width = doc.clientWidth
  if (doc.scrollWidth > width) problems.push('the document scrolls sideways: ' + doc.scrollWidth + ' > ' + width)
  const describe = (e) =>
    e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' "' +
    ((e.textContent || '').trim().slice(0, 40) || e.getAttribute('aria-label')) + '"'
  const interactive = document.querySelectorAll('a[href], button, input, select, textarea, [tabindex="0"], [role="tab"]')
  for (const e of interactive) {
    const box = e.getBoundingClientRect()
    if (box.width === 0 || box.height === 0 || !e.checkVisibility({ visibilityProperty: true })) continue
    if (box.left < -0.5 || box.right > width + 0.5) {
      problems.push(describe(e) + ' lies outside the viewport (' + box.left + '–' + box.right + ' of ' + width + ')')
      continue
    }
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a)
      if (style.overflowX === 'visible' && style.overflowY === 'visible') continue
      const clip = a.getBoundingClientRect()
      if (box.left < clip.left - 0.5 || box.right > clip.right + 0.5) {
        problems.push(describe(e) + ' is clipped by ' + describe(a))
        break
      }
    }
  }
  const text = document.body.innerText
  const key = /caller:[0-9a-f-]{36}:/i.exec(text)
  if (key) problems.push('a raw caller key shows: ' + text.slice(key.index, key.index + 60))
  return problems
})()`

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/**
 * axe-core's serious and critical violations on the page as it is now. The script is evaluated
 * through the DevTools protocol, which the page's Content-Security-Policy does not govern; the
 * page itself still loads nothing but its own files.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource)
  const violations = await page.evaluate<{ id: string; impact: string; help: string; targets: string[] }[]>(
    `axe.run(document, { resultTypes: ['violations'] }).then((result) =>
      result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
      })))`,
  )
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.targets.join(', ')})`)
}
