import type { Config as HumanConfig } from '@vladmandic/human';
import type { EngineConfig } from './config.js';

/** Where Human finds its backend and models. */
export interface HumanPaths {
  /** tfjs backend: `wasm` or `webgl`. */
  backend: 'wasm' | 'webgl';
  /** Prefix of the model files (`blazeface.json` …), ending with `/`. */
  modelBasePath: string;
  /** Folder (URL or path) of the tfjs-backend-wasm `.wasm` binaries, ending with `/`. */
  wasmPath: string;
  /**
   * The attention mesh's model JSON: a name joined to `modelBasePath` (browser: `/models/` serves it
   * next to Human's files) or a full `file://` URL (Node: it lives in `@smartsession/models`).
   */
  attentionModelPath: string;
}

/** File stem of the attention mesh (the same as `@smartsession/models`' ATTENTION_MODEL; engine stays fs-free). */
export const ATTENTION_MESH = 'facemesh-attention-pinto';

/**
 * Human's models (file stems) the engine needs from Human's model folder for a config. With the attention
 * mesh, `facemesh` is still loaded: its face flag decides which faces count (`face-flag.ts`), and the
 * iris model is not needed (the attention mesh refines the irises itself). `emotion` is loaded and run by
 * the engine itself (`emotion.ts`), not by Human.
 */
function humanModels(cfg: Pick<EngineConfig, 'emotion' | 'mesh'>): string[] {
  return [
    'blazeface',
    'facemesh',
    ...(cfg.mesh === 'facemesh' ? ['iris'] : []),
    ...(cfg.emotion === 'on' ? ['emotion'] : []),
  ];
}

/** Model files (relative to Human's model folder) the engine loads for a config. */
export function modelFiles(cfg: Pick<EngineConfig, 'emotion' | 'mesh'>): string[] {
  return humanModels(cfg).flatMap((n) => [`${n}.json`, `${n}.bin`]);
}

/** Side length (pixels) of the face crop both meshes read; their depth (z) comes out in these units. */
export const MESH_INPUT_SIZE = 192;

/**
 * Human configuration for one student at a webcam: face detector and 478-point mesh (the attention mesh,
 * or Human's mesh + iris model); everything else (emotion, which the engine runs itself, body, hands,
 * objects, gestures, descriptor, anti-spoofing, filters) off. In video mode Human's frame cache
 * and skip timers are on.
 */
export function humanConfig(cfg: EngineConfig, paths: HumanPaths): Partial<HumanConfig> {
  const video = cfg.video;
  return {
    backend: paths.backend,
    modelBasePath: paths.modelBasePath,
    wasmPath: paths.wasmPath,
    debug: false,
    async: true,
    warmup: 'none',
    cacheModels: false,
    validateModels: false,
    cacheSensitivity: video ? cfg.cacheSensitivity : 0,
    filter: { enabled: false },
    gesture: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    segmentation: { enabled: false },
    face: {
      enabled: true,
      detector: {
        modelPath: 'blazeface.json',
        rotation: false,
        maxDetected: cfg.maxFaces,
        minConfidence: Math.min(cfg.minFaceConfidence, 0.2),
        skipFrames: video ? 15 : 0,
        skipTime: video ? 1000 : 0,
        return: false,
      },
      mesh: { enabled: true, modelPath: 'facemesh.json' },
      iris: { enabled: cfg.mesh === 'facemesh', modelPath: 'iris.json', skipFrames: 0, skipTime: 0 },
      // Run by the engine itself on a better-prepared crop (emotion.ts).
      emotion: { enabled: false },
      description: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      attention: { enabled: cfg.mesh === 'attention', modelPath: paths.attentionModelPath },
      gear: { enabled: false },
    },
  };
}
