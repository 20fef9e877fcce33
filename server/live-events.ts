/**
 * Live events for the dashboard: each journaled request, and each change made through the
 * control plane. Publishing with nobody listening costs one size check, so the API pays nothing
 * when no dashboard is open.
 */
export type LiveEvent =
  | { type: 'request'; data: unknown }
  | { type: 'control'; data: { method: string; path: string; status: number } }

export type LiveListener = (event: LiveEvent) => void

export function createLiveEvents() {
  const listeners = new Set<LiveListener>()
  return {
    publish(event: LiveEvent): void {
      if (listeners.size === 0) return
      for (const listener of listeners) listener(event)
    },
    /** Returns the unsubscribe function. */
    subscribe(listener: LiveListener): () => void {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    listenerCount: () => listeners.size,
  }
}
export type LiveEvents = ReturnType<typeof createLiveEvents>
