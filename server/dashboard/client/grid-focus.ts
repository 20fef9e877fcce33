/**
 * Keyboard navigation of a data grid (the ARIA grid pattern): the grid is one tab stop; arrow keys
 * move between cells, Home and End to a row's first and last cell, Ctrl+Home and Ctrl+End to the
 * grid's. A cell holding a control (a checkbox, a button) gives focus to that control, any other
 * cell takes focus itself. The grid is drawn again on every refresh, so the focused cell is
 * remembered by its row's key and its column, and focus comes back to it after each draw.
 */

interface Position {
  row: string
  column: number
}

const CONTROL = 'input, button, select, a[href]'

/** What takes focus in a cell: its control, or the cell. */
const targetOf = (cell: HTMLTableCellElement): HTMLElement => cell.querySelector<HTMLElement>(CONTROL) ?? cell

/** Rows a user can see (a phone hides the header row): the others are skipped. */
const visibleRows = (grid: HTMLTableElement) =>
  [...grid.rows].filter((row) => row.getClientRects().length > 0)

/**
 * Navigation for the `table[role=grid]` that `container` holds, whichever table that is after a
 * draw; `keyOf` names a row (a flow's name), so that the position outlives the elements.
 */
export function createGridFocus(container: HTMLElement, keyOf: (row: HTMLTableRowElement) => string) {
  let position: Position | undefined
  const grid = () => container.querySelector<HTMLTableElement>('table[role=grid]')

  const cellAt = (table: HTMLTableElement, at: Position | undefined): HTMLTableCellElement | undefined => {
    const rows = visibleRows(table)
    const row =
      (at && rows.find((r) => keyOf(r) === at.row)) ?? rows.find((r) => r.parentElement?.tagName === 'TBODY')
    if (!row) return undefined
    return row.cells[Math.min(at?.column ?? 0, row.cells.length - 1)]
  }

  /** One tab stop: the current cell's target; every other control and cell out of the tab order. */
  const settle = (table: HTMLTableElement, current: HTMLTableCellElement | undefined) => {
    for (const row of table.rows)
      for (const cell of row.cells) {
        for (const control of cell.querySelectorAll<HTMLElement>(CONTROL)) control.tabIndex = -1
        if (targetOf(cell) === cell) cell.tabIndex = -1
        else cell.removeAttribute('tabindex')
      }
    if (current) targetOf(current).tabIndex = 0
  }

  const moveTo = (cell: HTMLTableCellElement) => {
    const table = cell.closest('table')!
    position = { row: keyOf(cell.parentElement as HTMLTableRowElement), column: cell.cellIndex }
    settle(table, cell)
    targetOf(cell).focus()
  }

  container.addEventListener('focusin', (event) => {
    const cell = (event.target as HTMLElement).closest<HTMLTableCellElement>('td, th')
    const table = grid()
    if (!cell || !table?.contains(cell)) return
    position = { row: keyOf(cell.parentElement as HTMLTableRowElement), column: cell.cellIndex }
    settle(table, cell)
  })

  container.addEventListener('keydown', (event) => {
    const table = grid()
    const cell = (event.target as HTMLElement).closest<HTMLTableCellElement>('td, th')
    if (!table || !cell || !table.contains(cell) || event.altKey || event.metaKey) return
    const rows = visibleRows(table)
    let r = rows.indexOf(cell.parentElement as HTMLTableRowElement)
    let c = cell.cellIndex
    switch (event.key) {
      case 'ArrowUp':
        r--
        break
      case 'ArrowDown':
        r++
        break
      case 'ArrowLeft':
        c--
        break
      case 'ArrowRight':
        c++
        break
      case 'Home':
        c = 0
        if (event.ctrlKey) r = 0
        break
      case 'End':
        c = Number.POSITIVE_INFINITY
        if (event.ctrlKey) r = rows.length - 1
        break
      default:
        return
    }
    event.preventDefault()
    const row = rows[Math.max(0, Math.min(rows.length - 1, r))]
    if (!row) return
    moveTo(row.cells[Math.max(0, Math.min(row.cells.length - 1, c))]!)
  })

  return {
    /** Whether focus is in the grid: call before drawing it again, and pass to `drawn`. */
    focused: (): boolean => grid()?.contains(document.activeElement) ?? false,
    /** After a draw: the one tab stop at the remembered cell, focused again if focus was in the grid. */
    drawn(refocus: boolean): void {
      const table = grid()
      if (!table) return
      const cell = cellAt(table, position)
      settle(table, cell)
      if (refocus && cell) targetOf(cell).focus()
    },
  }
}
