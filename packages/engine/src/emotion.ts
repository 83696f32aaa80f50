/**
 * The emotion model (Human's `emotion.json`, a 64x64 grayscale FER-style classifier), run by the engine
 * itself instead of by Human.
 *
 * Human feeds it its 192-pixel face crop shrunk to 64 pixels by plain bilinear sampling (no
 * anti-aliasing) and with no brightness normalisation. Measured on one face of the face-api samples:
 * P(happy) 0.68 at full size, 0.47 at 40% size and 0.05 at 35% brightness; on another 0.46 / 0.03 /
 * 0.02. Here the crop (the face box, squared) is resampled to 256 pixels and averaged down 4x4 to 64
 * (area sampling, the same detail at every face size), its grey levels are standardised (mean 0, the
 * spread the model expects), and the model is run on the crop and its mirror image and the two averaged
 * (the model itself is not left-right symmetric; the average is). Measured in `npm run eval:signals`.
 */
import type * as TF from '@tensorflow/tfjs-core';
import type { ExecutableModel } from './face-flag.js';
import type { Tf } from './human-engine.js';

/** Class order of Human's `emotion.json` (oarriaga's FER2013 model). */
const EMOTION_CLASSES = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'] as const;

/** The model's input side, pixels. */
const SIZE = 64;
/** Supersampling factor of the crop before the area average. */
const SUPER = 4;
/** Standard deviation of the standardised grey levels (the model's inputs span −1..1). */
const SPREAD = 0.5;

/** P(happy) and P(neutral), 0..1. */
export interface EmotionProbs {
  happy: number;
  neutral: number;
}

/**
 * Reads the emotion of one face from a frame. Keeps the model; {@link dispose} releases it. In video
 * mode a result is reused for `reuseMs` (Human's own emotion caching was 500 ms).
 */
export class EmotionReader {
  #last: { t: number; probs: EmotionProbs } | null = null;

  constructor(
    private readonly tf: Tf,
    private readonly model: ExecutableModel,
    private readonly reuseMs = 0,
  ) {}

  /**
   * Probabilities for the face in `box` (`[x, y, w, h]` pixels) of `frame` (`[1, h, w, 3]`, 0..255) at
   * `tMs`. Disposes every tensor it makes.
   */
  read(frame: TF.Tensor4D, box: readonly number[], tMs: number): EmotionProbs {
    if (this.#last && this.reuseMs > 0 && tMs >= this.#last.t && tMs - this.#last.t < this.reuseMs)
      return this.#last.probs;
    const tf = this.tf;
    const [, height = 1, width = 1] = frame.shape;
    const side = Math.max(box[2] ?? 0, box[3] ?? 0);
    const cx = (box[0] ?? 0) + (box[2] ?? 0) / 2;
    const cy = (box[1] ?? 0) + (box[3] ?? 0) / 2;
    const crop: [number, number, number, number] = [
      (cy - side / 2) / height,
      (cx - side / 2) / width,
      (cy + side / 2) / height,
      (cx + side / 2) / width,
    ];
    const probs = tf.tidy(() => {
      const big = tf.image.cropAndResize(
        tf.cast(frame, 'float32'),
        [crop],
        [0],
        [SIZE * SUPER, SIZE * SUPER],
      );
      const small = tf.avgPool(big, SUPER, SUPER, 'valid');
      const grey = tf.sum(tf.mul(small, tf.tensor1d([0.2989, 0.587, 0.114])), 3, true);
      const { mean, variance } = tf.moments(grey);
      const std = tf.div(tf.sub(grey, mean), tf.add(tf.sqrt(variance), 1e-3));
      const input = tf.clipByValue(tf.mul(std, SPREAD), -1, 1) as TF.Tensor4D;
      const both = tf.concat([input, tf.reverse(input, 2)], 0);
      const out = this.model.execute(both) as TF.Tensor;
      return tf.mean(out, 0).dataSync();
    });
    const p = (name: (typeof EMOTION_CLASSES)[number]): number => probs[EMOTION_CLASSES.indexOf(name)] ?? 0;
    const result = { happy: p('happy'), neutral: p('neutral') };
    this.#last = { t: tMs, probs: result };
    return result;
  }

  /** Forgets the reused result (a new face or a gap). */
  reset(): void {
    this.#last = null;
  }

  /** Releases the model. */
  dispose(): void {
    this.model.dispose();
  }
}
