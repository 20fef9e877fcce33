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
  const pre = h('pre', {}, h('code', {}, code))
  const button = h('button', { type: 'button', 'aria-label': `Copy ${title}` }, 'Copy')
  button.addEventListener('click', () => {
    void navigator.clipboard?.writeText(code).then(
      () => (button.textContent = 'Copied'),
      () => (button.textContent = 'Select and copy'),
    )
  })
  return h('div', { class: 'snippet' }, h('h3', {}, title), button, pre)
}
