/**
 * A tiny element builder. Everything the page shows goes through text nodes, never innerHTML:
 * journal bodies and display names come from clients and must never become markup.
 */
type Child = Node | string | number | null | undefined | false
type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value)
    else element.setAttribute(name, value === true ? '' : String(value))
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue
    element.append(child instanceof Node ? child : String(child))
  }
  return element
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id)
  if (!element) throw new Error(`the page has no #${id}`)
  return element as T
}

/** A local, readable time; the ISO form on hover. */
export function timeText(iso: string): HTMLTimeElement {
  const date = new Date(iso)
  return h('time', { datetime: iso, title: iso }, date.toLocaleString())
}

/** A copy-to-clipboard block of code. */
export function snippet(title: string, code: string): HTMLElement {
  // Focusable: a long snippet scrolls, and a keyboard must reach it.
  const pre = h('pre', { tabindex: 0 }, h('code', {}, code))
  const button = h('button', { type: 'button', 'aria-label': `Copy ${title}` }, 'Copy')
  button.addEventListener('click', () => {
    void navigator.clipboard?.writeText(code).then(
      () => (button.textContent = 'Copied'),
      () => (button.textContent = 'Select and copy'),
    )
  })
  return h('div', { class: 'snippet' }, h('h3', {}, title), button, pre)
}

const SVG = 'http://www.w3.org/2000/svg'

/** Fluent's "copy" glyph, drawn inline: no icon font, no image request. */
function copyIcon(): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg')
  svg.setAttribute('viewBox', '0 0 16 16')
  svg.setAttribute('width', '14')
  svg.setAttribute('height', '14')
  svg.setAttribute('aria-hidden', 'true')
  const path = document.createElementNS(SVG, 'path')
  path.setAttribute(
    'd',
    'M5 2a2 2 0 0 1 2-2h5a2 2 0 0 1 2 2v7a2 2 0 0 1-2 2H7a2 2 0 0 1-2-2V2Zm2-1a1 1 0 0 0-1 1v7a1 1 0 0 0 1 1h5a1 1 0 0 0 1-1V2a1 1 0 0 0-1-1H7ZM3 4a1 1 0 0 1 1-1v7a2 2 0 0 0 2 2h5a1 1 0 0 1-1 1H6a3 3 0 0 1-3-3V4Z',
  )
  path.setAttribute('fill', 'currentColor')
  svg.append(path)
  return svg
}

/** A name shown, its id behind a copy button (the id in the button's title and accessible name). */
export function named(name: string, id: string, what = 'id'): HTMLElement {
  const button = h(
    'button',
    { type: 'button', class: 'copy-id', title: `${what} ${id}`, 'aria-label': `Copy ${what} of ${name}` },
    copyIcon(),
  )
  button.addEventListener('click', (event) => {
    event.stopPropagation()
    void navigator.clipboard?.writeText(id).then(
      () => toast(`Copied ${id}`, button),
      () => toast(`${what}: ${id}`, button),
    )
  })
  return h('span', { class: 'named', 'data-id': id }, h('span', { class: 'name' }, name), button)
}

const inFlyout = (anchor: Element | null | undefined): boolean =>
  Boolean(anchor?.closest('#flyout') || (anchor && !anchor.isConnected && !byId('flyout').hidden))

/**
 * A short confirmation beside the control that caused it; announced by the live region it sits
 * in, gone after a few seconds.
 */
export function toast(text: string, anchor?: Element | null, kind: 'ok' | 'error' = 'ok'): void {
  const region = byId('toasts')
  const item = h(
    'div',
    {
      class: `toast ${kind}`,
      role: kind === 'error' ? 'alert' : 'status',
      // A confirmation made in the side panel goes with it (it would float over the view below);
      // its anchor may be gone already, when a refresh drew the panel again.
      'data-flyout': inFlyout(anchor),
    },
    text,
  )
  region.append(item)
  const box = anchor?.isConnected ? anchor.getBoundingClientRect() : undefined
  const width = Math.min(360, document.documentElement.clientWidth - 16)
  item.style.maxWidth = `${width}px`
  if (box && box.width > 0) {
    const left = Math.max(8, Math.min(box.left, document.documentElement.clientWidth - width - 8))
    const below = box.bottom + 8
    item.style.left = `${left}px`
    item.style.top = `${below + 48 > innerHeight ? Math.max(8, box.top - 56) : below}px`
  } else {
    item.classList.add('corner')
  }
  setTimeout(() => item.remove(), kind === 'error' ? 8000 : 4000)
}

/** Arrow keys move focus between `items` (one tab stop for the group): tabs and grid rows. */
export function rovingFocus(container: HTMLElement, selector: string, keys: [string, string]): void {
  container.addEventListener('keydown', (event) => {
    const items = [...container.querySelectorAll<HTMLElement>(selector)]
    const at = items.indexOf(document.activeElement as HTMLElement)
    if (at < 0) return
    let to: number | undefined
    if (event.key === keys[0]) to = Math.max(0, at - 1)
    else if (event.key === keys[1]) to = Math.min(items.length - 1, at + 1)
    else if (event.key === 'Home') to = 0
    else if (event.key === 'End') to = items.length - 1
    if (to === undefined) return
    event.preventDefault()
    for (const [i, item] of items.entries()) item.tabIndex = i === to ? 0 : -1
    items[to]!.focus()
  })
}
