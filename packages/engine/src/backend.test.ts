import { describe, expect, it } from 'vitest';
import { chooseBackend, decideBackend, rendererKind } from './backend.js';

const SWIFTSHADER =
  'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
const LLVMPIPE = 'llvmpipe (LLVM 15.0.6, 256 bits)';
const INTEL = 'ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)';
const NVIDIA = 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)';

describe('rendererKind', () => {
  it('tells no WebGL, software rasterisers, real GPUs and masked names apart', () => {
    expect(rendererKind(null)).toBe('none');
    expect(rendererKind(SWIFTSHADER)).toBe('software');
    expect(rendererKind(LLVMPIPE)).toBe('software');
    expect(rendererKind('Microsoft Basic Render Driver')).toBe('software');
    expect(rendererKind(INTEL)).toBe('gpu');
    expect(rendererKind(NVIDIA)).toBe('gpu');
    expect(rendererKind('Apple M1')).toBe('gpu');
    expect(rendererKind('')).toBe('unknown');
    expect(rendererKind('WebKit WebGL')).toBe('unknown');
  });
});

describe('decideBackend (auto backend decision)', () => {
  it('software renderer or no WebGL: wasm at once, whatever the timings', () => {
    expect(decideBackend(SWIFTSHADER)).toBe('wasm');
    expect(decideBackend(LLVMPIPE)).toBe('wasm');
    expect(decideBackend(null)).toBe('wasm');
    expect(decideBackend(SWIFTSHADER, { webgl: 5, wasm: 90 })).toBe('wasm');
  });

  it('real or hidden GPU: measure first, then the faster backend', () => {
    expect(decideBackend(INTEL)).toBe('measure');
    expect(decideBackend('')).toBe('measure');
    expect(decideBackend(INTEL, { webgl: 20, wasm: 60 })).toBe('webgl');
    expect(decideBackend(INTEL, { webgl: 90, wasm: 60 })).toBe('wasm');
    expect(decideBackend(NVIDIA, { webgl: null, wasm: 60 })).toBe('wasm');
    expect(decideBackend(NVIDIA, { webgl: null, wasm: null })).toBeNull();
  });
});

describe('chooseBackend', () => {
  it('keeps the faster measured backend; wasm on ties or when webgl was not measured', () => {
    expect(chooseBackend({ webgl: 20, wasm: 60 })).toBe('webgl');
    expect(chooseBackend({ webgl: 90, wasm: 60 })).toBe('wasm');
    expect(chooseBackend({ webgl: 60, wasm: 60 })).toBe('wasm');
    expect(chooseBackend({ webgl: null, wasm: 60 })).toBe('wasm');
    expect(chooseBackend({ webgl: 30, wasm: null })).toBe('webgl');
    expect(chooseBackend({ webgl: null, wasm: null })).toBeNull();
  });
});
