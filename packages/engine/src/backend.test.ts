import { describe, expect, it } from 'vitest';
import { chooseBackend } from './backend.js';

describe('chooseBackend (auto backend decision)', () => {
  it('keeps the faster measured backend; wasm on ties or when webgl was not measured', () => {
    expect(chooseBackend({ webgl: 20, wasm: 60 })).toBe('webgl');
    expect(chooseBackend({ webgl: 90, wasm: 60 })).toBe('wasm');
    expect(chooseBackend({ webgl: 60, wasm: 60 })).toBe('wasm');
    expect(chooseBackend({ webgl: null, wasm: 60 })).toBe('wasm');
    expect(chooseBackend({ webgl: 30, wasm: null })).toBe('webgl');
    expect(chooseBackend({ webgl: null, wasm: null })).toBeNull();
  });
});
