import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

/** A write that records its groups and finishes when told. */
function recorder() {
  const groups: Array<{ key: string; items: number[] }> = [];
  const pending: Array<() => void> = [];
  const write = (key: string, items: number[]) =>
    new Promise<number[]>((resolve, reject) => {
      groups.push({ key, items });
      pending.push(() =>
        items.includes(-1) ? reject(new Error('refused')) : resolve(items.map((x) => x * 10)),
      );
    });
  const finishOne = async () => {
    pending.shift()?.();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { groups, write, finishOne };
}

describe('GroupCommit', () => {
  it('writes a lone item at once; what arrives meanwhile goes together next, per key, in order', async () => {
    const r = recorder();
    const g = new GroupCommit(r.write, 3);
    const first = g.add('a', 1);
    expect(r.groups).toEqual([{ key: 'a', items: [1] }]);
    const more = [2, 3, 4, 5].map((x) => g.add('a', x));
    const other = g.add('b', 9);
    expect(r.groups).toEqual([
      { key: 'a', items: [1] },
      { key: 'b', items: [9] },
    ]);
    await r.finishOne();
    expect(await first).toBe(10);
    expect(r.groups[2]).toEqual({ key: 'a', items: [2, 3, 4] }); // at most maxGroup
    await r.finishOne(); // b
    expect(await other).toBe(90);
    await r.finishOne();
    await r.finishOne();
    expect(r.groups[3]).toEqual({ key: 'a', items: [5] });
    expect(await Promise.all(more)).toEqual([20, 30, 40, 50]);
  });

  it('a failed write rejects its own group only; the next group is still written', async () => {
    const r = recorder();
    const g = new GroupCommit(r.write);
    const first = expect(g.add('a', -1)).rejects.toThrow('refused');
    const second = g.add('a', 2);
    await r.finishOne();
    await first;
    await r.finishOne();
    expect(await second).toBe(20);
    // The key's queue is gone once drained: the next item starts a write at once.
    void g.add('a', 3);
    expect(r.groups.at(-1)).toEqual({ key: 'a', items: [3] });
  });
});
