/**
 * @packageDocumentation
 * SmartSession analysis engine, pure part (runs anywhere): signal maths, confusion score, calibration,
 * proctor timeline, and the {@link Engine} interface the `./node` and `./browser` entries implement.
 */
export * from './config.js';
export * from './landmarks.js';
export * from './measures.js';
export * from './signals.js';
export * from './score.js';
export * from './calibration.js';
export * from './smoothing.js';
export * from './frame.js';
export * from './timeline.js';
export * from './types.js';
