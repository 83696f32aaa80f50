import { describe, expect, it } from 'vitest';
import { meshFromUrl } from '../src/student/analysisClient.js';

describe('meshFromUrl (?mesh= on the student page)', () => {
  it('switches to the old mesh only when asked, else keeps the engine default', () => {
    expect(meshFromUrl('?mesh=facemesh')).toBe('facemesh');
    expect(meshFromUrl('?backend=wasm&mesh=attention')).toBe('attention');
    expect(meshFromUrl('?mesh=blendshapes')).toBeUndefined();
    expect(meshFromUrl('')).toBeUndefined();
  });
});
