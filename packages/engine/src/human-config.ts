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
}

/** Model files (relative to the model base path) the engine loads for a config. */
export function modelFiles(cfg: Pick<EngineConfig, 'emotion'>): string[] {
  const names = ['blazeface', 'facemesh', 'iris', ...(cfg.emotion === 'on' ? ['emotion'] : [])];
  return names.flatMap((n) => [`${n}.json`, `${n}.bin`]);
}

/**
 * Human configuration for one student at a webcam: face detector, 478-point mesh with iris, and the
 * emotion model only when emotion is on; everything else (body, hands, objects, gestures, descriptor,
 * anti-spoofing, filters) off. In video mode Human's frame cache and skip timers are on.
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
      iris: { enabled: true, modelPath: 'iris.json', skipFrames: 0, skipTime: 0 },
      emotion: {
        enabled: cfg.emotion === 'on',
        modelPath: 'emotion.json',
        minConfidence: 0,
        skipFrames: video ? 10 : 0,
        skipTime: video ? 500 : 0,
      },
      description: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      attention: { enabled: false },
      gear: { enabled: false },
    },
  };
}
