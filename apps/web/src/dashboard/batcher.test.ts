import { describe, expect, it } from 'vitest';
import { FrameBatcher, throttledFrames } from './batcher.js';

/** A manual frame scheduler: runs the queued callbacks when `frame()` is called. */
function manualFrames() {
  let queue: (() => void)[] = [];
  return {
    schedule: (fn: () => void) => void queue.push(fn),
    frame() {
      const q = queue;
      queue = [];
      q.forEach((fn) => fn());
    },
    get queued() {
      return queue.length;
    },
  };
}

describe('FrameBatcher', () => {
  it('hands over every item pushed during a frame in one flush, in order, scheduling once', () => {
    const frames = manualFrames();
    const flushed: number[][] = [];
    const b = new FrameBatcher<number>((items) => flushed.push(items), frames.schedule);
    for (let i = 0; i < 500; i++) b.push(i);
    expect(frames.queued).toBe(1);
    expect(b.size).toBe(500);
    frames.frame();
    expect(flushed).toHaveLength(1);
    expect(flushed[0]).toEqual(Array.from({ length: 500 }, (_, i) => i));
    b.push(7);
    frames.frame();
    expect(flushed).toEqual([flushed[0], [7]]);
  });

  it('flushNow empties at once; close drops pending items and ignores later pushes', () => {
    const frames = manualFrames();
    const flushed: string[][] = [];
    const b = new FrameBatcher<string>((items) => flushed.push(items), frames.schedule);
    b.push('a');
    b.flushNow();
    frames.frame();
    expect(flushed).toEqual([['a']]);
    b.push('b');
    b.close();
    b.push('c');
    frames.frame();
    expect(flushed).toEqual([['a']]);
  });
});

describe('throttledFrames', () => {
  it('runs at once the first time, then waits until the interval has passed, then on a frame', () => {
    let clock = 0;
    const timers: { at: number; fn: () => void }[] = [];
    const frames = manualFrames();
    const schedule = throttledFrames(
      frames.schedule,
      200,
      () => clock,
      (fn, ms) => void timers.push({ at: clock + ms, fn }),
    );
    const ran: number[] = [];
    schedule(() => ran.push(clock));
    expect(timers).toHaveLength(0);
    frames.frame();
    expect(ran).toEqual([0]);
    clock = 50;
    schedule(() => ran.push(clock));
    expect(timers.map((t) => t.at)).toEqual([200]);
    frames.frame();
    expect(ran).toEqual([0]); // still waiting for the timer
    clock = 200;
    timers.shift()!.fn();
    frames.frame();
    expect(ran).toEqual([0, 200]);
  });
});
