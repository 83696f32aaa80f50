import { describe, expect, it } from 'vitest';
import { StudentProtocolClient, type StudentClientEvent } from './client.js';
import type { BatchMessage, SequencedMessage, WelcomeMessage } from './messages.js';
import type { UnsequencedTelemetry } from './outbox.js';

const sample = (t: number): UnsequencedTelemetry => ({
  type: 'telemetry',
  t,
  status: 'focused',
  alert: null,
  since: t,
  reason: null,
  frame: null,
});

const welcome = (lastSeq: number, maxSeq = lastSeq): WelcomeMessage => ({
  type: 'welcome',
  protocol: 2,
  participantId: 'p',
  sessionId: 's',
  name: 'N',
  settings: { mode: 'support', emotion: 'on', lookAwaySeconds: 4, anonymous: false },
  accommodations: {},
  lastSeq,
  maxSeq,
});

function setup() {
  const sent: Array<SequencedMessage | BatchMessage> = [];
  const events: StudentClientEvent[] = [];
  const c = new StudentProtocolClient(
    (p) => sent.push(p),
    (e) => events.push(e),
  );
  const seqs = () => sent.flatMap((p) => (p.type === 'batch' ? p.items.map((i) => i.seq) : [p.seq]));
  return { c, sent, events, seqs };
}

describe('StudentProtocolClient', () => {
  it('sends nothing before the welcome, then replays and goes live', () => {
    const { c, seqs } = setup();
    c.connected();
    c.push(sample(1));
    c.push(sample(2));
    expect(seqs()).toEqual([]);
    c.receive(welcome(0), 0);
    c.push(sample(3));
    expect(seqs()).toEqual([1, 2, 3]);
  });

  it('a reloaded page numbers above what the server has seen and declares the seqs it never had', () => {
    const { c, sent, seqs } = setup();
    c.connected();
    c.push(sample(1));
    // The old page sent up to 40; 30 are stored, 31..40 are being written.
    c.receive(welcome(30, 40), 0);
    expect(seqs()).toEqual([41]);
    expect(sent[0]).toMatchObject({ type: 'batch', from: 31 });
    c.push(sample(2));
    expect(seqs()).toEqual([41, 42]);
  });

  it('a fresh page with nothing queued declares the gap with its first live message', () => {
    const { c, sent } = setup();
    c.connected();
    c.receive(welcome(5, 9), 0);
    c.push(sample(1));
    expect(sent).toEqual([{ type: 'batch', from: 6, items: [expect.objectContaining({ seq: 10 })] }]);
  });

  it('ignores an ack before the welcome (it may speak of another page), honours it after', () => {
    const { c } = setup();
    c.connected();
    c.push(sample(1));
    c.receive({ type: 'ack', seq: 1 }, 0);
    expect(c.stats().pending).toBe(1);
    c.receive(welcome(0), 0);
    c.receive({ type: 'ack', seq: 1 }, 0);
    expect(c.stats().pending).toBe(0);
  });

  it('after RATE_LIMITED it stops sending live and re-sends everything after a back-off, in order', () => {
    const { c, seqs } = setup();
    c.connected();
    c.receive(welcome(0), 0);
    for (let i = 1; i <= 3; i++) c.push(sample(i));
    c.receive({ type: 'error', error: { code: 'RATE_LIMITED', message: 'slow' }, seq: 2 }, 1000);
    c.push(sample(4));
    expect(seqs()).toEqual([1, 2, 3]);
    expect(c.nextWakeAt).toBe(1500);
    c.tick(1499);
    expect(seqs()).toEqual([1, 2, 3]);
    c.tick(1500);
    expect(seqs()).toEqual([1, 2, 3, 1, 2, 3, 4]);
    c.push(sample(5));
    expect(seqs().at(-1)).toBe(5);
  });

  it('hold and resume: storage down keeps everything; UNAVAILABLE waits for resume, then replays', () => {
    const { c, events, seqs } = setup();
    c.connected();
    c.receive(welcome(0), 0);
    c.receive({ type: 'hold' }, 0);
    expect(events).toContainEqual({ type: 'hold', holding: true });
    c.push(sample(1));
    c.receive({ type: 'error', error: { code: 'UNAVAILABLE', message: 'storage' }, seq: 1 }, 10);
    c.push(sample(2));
    expect(seqs()).toEqual([1]);
    c.receive({ type: 'resume' }, 20);
    expect(events).toContainEqual({ type: 'hold', holding: false });
    expect(seqs()).toEqual([1, 1, 2]);
  });

  it('a final refusal is reported with its seq; SESSION_ENDED stops the client', () => {
    const { c, events } = setup();
    c.connected();
    c.receive(welcome(0), 0);
    c.receive({ type: 'error', error: { code: 'BAD_MESSAGE', message: 'no' }, seq: 7 }, 0);
    expect(events).toContainEqual({ type: 'refused', error: { code: 'BAD_MESSAGE', message: 'no' }, seq: 7 });
    c.receive({ type: 'error', error: { code: 'SESSION_ENDED', message: 'ended' } }, 0);
    expect(c.stopped).toBe(true);
  });
});
