/**
 * Group commit: requests for the same key that arrive while a write for that key is in flight wait and
 * go together in the next one (no timer: a lone request is written at once). A burst of joins into one
 * class becomes a few transactions instead of one per student, each queued on the same locked row.
 */
export class GroupCommit<T, R> {
  private readonly queues = new Map<
    string,
    Array<{ item: T; resolve: (r: R) => void; reject: (err: unknown) => void }>
  >();

  /**
   * @param write writes one group (all of one key) and returns one result per item, in order.
   * @param maxGroup the most items one write takes.
   */
  constructor(
    private readonly write: (key: string, items: T[]) => Promise<R[]>,
    private readonly maxGroup = 500,
  ) {}

  add(key: string, item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      const fresh = [{ item, resolve, reject }];
      this.queues.set(key, fresh);
      void this.drain(key, fresh);
    });
  }

  /** Writes the key's waiting items group by group until none is left. */
  private async drain(
    key: string,
    queue: Array<{ item: T; resolve: (r: R) => void; reject: (err: unknown) => void }>,
  ): Promise<void> {
    while (queue.length > 0) {
      const group = queue.splice(0, this.maxGroup);
      try {
        const results = await this.write(
          key,
          group.map((g) => g.item),
        );
        group.forEach((g, i) => g.resolve(results[i]!));
      } catch (err) {
        for (const g of group) g.reject(err);
      }
    }
    this.queues.delete(key);
  }
}
