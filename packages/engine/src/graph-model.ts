import type { Human } from '@vladmandic/human';
import type { ExecutableModel } from './face-flag.js';

/** A model file the engine loads itself (not through Human) did not load. */
export class ModelFileError extends Error {
  constructor(
    /** The model JSON's URL. */
    readonly url: string,
    cause: unknown,
  ) {
    super(
      `could not load the face model file ${url}: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'ModelFileError';
  }
}

/**
 * Loads a tfjs graph model with Human's tfjs (so it runs on Human's backend and, in Node, through the
 * engine's file-system loader). Rejects with a {@link ModelFileError} naming the file.
 */
export async function loadGraph(human: Human, url: string): Promise<ExecutableModel> {
  const converter = human.tf as unknown as { loadGraphModel(url: string): Promise<unknown> };
  try {
    return (await converter.loadGraphModel(url)) as ExecutableModel;
  } catch (e) {
    throw new ModelFileError(url, e);
  }
}
