import { byId, h } from './dom.ts'

/**
 * The side panel (Fluent's "drawer"): one at a time, modal, Escape or the close button or a click
 * outside closes it, focus goes back to what opened it. `key` names what it shows, so a view can
 * refresh it or drop it when that thing is gone.
 */
let opener: HTMLElement | null = null
let shownKey: string | undefined

export function openFlyout(key: string, title: string, ...content: Node[]): void {
  const panel = byId('flyout')
  const backdrop = byId('flyout-backdrop')
  if (shownKey === undefined) opener = document.activeElement as HTMLElement | null
  const wasOpen = shownKey === key
  shownKey = key
  panel.dataset['key'] = key
  const scroll = wasOpen ? (panel.querySelector('.flyout-body')?.scrollTop ?? 0) : 0
  panel.replaceChildren(
    h(
      'div',
      { class: 'flyout-head' },
      h('h2', { id: 'flyout-title', tabindex: -1 }, title),
      h('button', { type: 'button', class: 'subtle', 'aria-label': 'Close', onclick: closeFlyout }, '✕'),
    ),
    h('div', { class: 'flyout-body' }, ...content),
  )
  panel.querySelector('.flyout-body')!.scrollTop = scroll
  panel.hidden = false
  backdrop.hidden = false
  if (!wasOpen) byId('flyout-title').focus()
}

export function closeFlyout(): void {
  if (shownKey === undefined) return
  shownKey = undefined
  byId('flyout').hidden = true
  byId('flyout-backdrop').hidden = true
  for (const toast of byId('toasts').querySelectorAll('.toast[data-flyout]')) toast.remove()
  // A live refresh may have drawn the opener again: the same row is found by its data-id.
  const id = opener?.dataset['id']
  const target = opener?.isConnected
    ? opener
    : id
      ? document.querySelector<HTMLElement>(`${opener!.tagName}[data-id="${CSS.escape(id)}"]`)
      : null
  target?.focus()
  opener = null
}

export const flyoutKey = (): string | undefined => shownKey

export function setUpFlyout(): void {
  const panel = byId('flyout')
  byId('flyout-backdrop').addEventListener('click', closeFlyout)
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && shownKey !== undefined) closeFlyout()
  })
  // Focus stays in the panel while it is open.
  panel.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab') return
    const focusable = [
      ...panel.querySelectorAll<HTMLElement>('button, [href], input, select, [tabindex="0"]'),
    ]
    const first = focusable[0]
    const last = focusable[focusable.length - 1]
    if (!first || !last) return
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault()
      last.focus()
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault()
      first.focus()
    }
  })
}
