import { describe, expect, it } from 'vitest';
import { describeCameraError, isCameraFailure } from '../src/student/camera.js';

// Node has DOMException with the same `name` values getUserMedia rejects with.
const dom = (name: string) => new DOMException('x', name);

describe('describeCameraError', () => {
  it('permission refused says how to allow the camera', () => {
    const f = describeCameraError(dom('NotAllowedError'));
    expect(f.problem).toBe('denied');
    expect(f.advice).toMatch(/allow the camera/);
  });
  it('no camera, camera in use, and unknown errors each get their own advice', () => {
    expect(describeCameraError(dom('NotFoundError')).problem).toBe('not-found');
    expect(describeCameraError(dom('NotReadableError')).problem).toBe('in-use');
    expect(describeCameraError(dom('NotReadableError')).advice).toMatch(/Close other apps/);
    expect(describeCameraError(new Error('boom')).problem).toBe('unknown');
    expect(describeCameraError(null).problem).toBe('unknown');
  });
  it('recognises its own failures', () => {
    expect(isCameraFailure(describeCameraError(dom('NotFoundError')))).toBe(true);
    expect(isCameraFailure(new Error('x'))).toBe(false);
  });
});
