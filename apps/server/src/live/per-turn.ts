/**
 * A queue sent a few items per turn of the event loop, in order. Work that arrives all at once (the acks
 * of a commit, a big class's samples) then never holds the loop for long: incoming messages are handled
 * between the slices. See ACK_SLICE and SAMPLES_SLICE in hub.ts.
 */
export class PerTurnQueue<T> {
  private readonly items: T[] = [];
  private turn: NodeJS.Immediate | null = null;

  constructor(
    private readonly perTurn: number,
    private readonly send: (item: T) => void,
  ) {}

  push(item: T): void {
    this.items.push(item);
  }

  /** Starts sending what is queued, `perTurn` items a turn (no-op while already sending). */
  schedule(): void {
    if (this.turn || this.items.length === 0) return;
    this.turn = setImmediate(() => {
      this.turn = null;
      this.sendUpTo(this.perTurn);
      this.schedule();
    });
  }

  /** Sends everything queued, now. */
  flush(): void {
    if (this.turn) clearImmediate(this.turn);
    this.turn = null;
    this.sendUpTo(Infinity);
  }

  private sendUpTo(n: number): void {
    for (const item of this.items.splice(0, Math.min(n, this.items.length))) this.send(item);
  }
}
