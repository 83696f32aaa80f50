/**
 * A Socket.IO parser that measures what it decodes: the default parser, wrapped so that every decoded
 * event payload carries the number of bytes that arrived for its packet (text and binary attachments,
 * with or without an ack id). The gate checks sizes against that, whatever the encoding. A packet larger
 * than `hardLimit` bytes fails to decode, which closes the connection (engine.io's own buffer limit, set
 * just above it, guards the single frame).
 */
import { Encoder, Decoder } from 'socket.io-parser';

const sizes = new WeakMap<object, number>();

/** Bytes of the packet that carried `payload` (a decoded event argument), if it was measured. */
export function wireSize(payload: unknown): number | undefined {
  return typeof payload === 'object' && payload !== null ? sizes.get(payload) : undefined;
}

function bytesOf(chunk: unknown): number {
  if (typeof chunk === 'string') return Buffer.byteLength(chunk, 'utf8');
  if (chunk instanceof ArrayBuffer) return chunk.byteLength;
  if (ArrayBuffer.isView(chunk)) return chunk.byteLength;
  return 0;
}

/** Builds the measured parser (pass it as Socket.IO's `parser` option). */
export function measuredParser(hardLimit: number): { Encoder: typeof Encoder; Decoder: typeof Decoder } {
  class MeasuredDecoder extends Decoder {
    #bytes = 0;

    constructor(...args: ConstructorParameters<typeof Decoder>) {
      super(...args);
      // Registered before Socket.IO's own listener, so the size is attached before the event is handled.
      this.on('decoded', (packet: { data?: unknown }) => {
        const args = Array.isArray(packet.data) ? (packet.data as unknown[]) : [];
        for (let i = 1; i < args.length; i++) {
          const arg = args[i];
          if (typeof arg === 'object' && arg !== null) sizes.set(arg, this.#bytes);
        }
        this.#bytes = 0;
      });
    }

    override add(chunk: unknown): void {
      this.#bytes += bytesOf(chunk);
      if (this.#bytes > hardLimit) {
        this.#bytes = 0;
        throw new Error(`packet larger than ${hardLimit} bytes`);
      }
      try {
        super.add(chunk);
      } catch (err) {
        this.#bytes = 0;
        throw err;
      }
    }
  }
  return { Encoder, Decoder: MeasuredDecoder };
}
