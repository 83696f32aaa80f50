/**
 * The samples a room holds for its teachers until the next fan-out (every `SAMPLE_BATCH_MS`), kept as
 * columns of plain values instead of one object per message. An object per message lived up to a
 * quarter second, long enough to be copied by a young-generation collection more often than not, at
 * 4 messages a second per student; numbers in these arrays are stored unboxed, the arrays are reused from
 * one fan-out to the next, and the objects the teachers are sent are built at the fan-out and die young.
 */
import type { Sample, StudentStatus } from '@smartsession/protocol';

/** Samples as columns; see the module comment. */
export class SampleColumns {
  private n = 0;
  private readonly participantId: string[] = [];
  private readonly t: number[] = [];
  private readonly ct: number[] = [];
  private readonly seq: number[] = [];
  /** NaN for a sample without a score (a score is 0..1 or null, never NaN). */
  private readonly score: number[] = [];
  private readonly status: StudentStatus[] = [];

  /** Number of samples held. */
  get length(): number {
    return this.n;
  }

  /** Adds one sample. */
  push(
    participantId: string,
    t: number,
    ct: number,
    seq: number,
    score: number | null,
    status: StudentStatus,
  ) {
    const i = this.n++;
    this.participantId[i] = participantId;
    this.t[i] = t;
    this.ct[i] = ct;
    this.seq[i] = seq;
    this.score[i] = score ?? NaN;
    this.status[i] = status;
  }

  /** The samples held, oldest first, as the teachers get them; holds none afterwards. */
  take(): Sample[] {
    const out: Sample[] = new Array<Sample>(this.n);
    for (let i = 0; i < this.n; i++) {
      const score = this.score[i]!;
      out[i] = {
        participantId: this.participantId[i]!,
        t: this.t[i]!,
        ct: this.ct[i]!,
        seq: this.seq[i]!,
        score: Number.isNaN(score) ? null : score,
        status: this.status[i]!,
      };
    }
    this.n = 0;
    return out;
  }
}
