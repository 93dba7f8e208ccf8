/** A minimal typed event emitter: `on` returns the unsubscribe function. */
export class TypedEmitter<Events extends { [K in keyof Events]: unknown }> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>()

  on<E extends keyof Events>(event: E, listener: (payload: Events[E]) => void): () => void {
    let set = this.listeners.get(event)
    if (!set) {
      set = new Set()
      this.listeners.set(event, set)
    }
    set.add(listener)
    return () => set.delete(listener)
  }

  /** Calls every listener; one that throws does not stop the others. */
  emit<E extends keyof Events>(
    event: E,
    payload: Events[E],
    onError?: (err: unknown) => void,
  ): void {
    const set = this.listeners.get(event)
    if (!set) return
    for (const l of [...set]) {
      try {
        ;(l as (p: Events[E]) => void)(payload)
      } catch (err) {
        onError?.(err)
      }
    }
  }

  listenerCount(event: keyof Events): number {
    return this.listeners.get(event)?.size ?? 0
  }
}
