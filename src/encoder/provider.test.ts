import { describe, expect, it } from 'vitest';
import { chooseProvider, judgeAdapter, wasmThreads } from './provider';

describe('execution provider choice', () => {
  it('takes a real adapter, and refuses software ones in auto mode', () => {
    expect(chooseProvider('auto', { adapter: { vendor: 'nvidia', architecture: 'ampere' } }).provider).toBe('webgpu');
    const sw = chooseProvider('auto', { adapter: { vendor: 'google', architecture: 'swiftshader' } });
    expect(sw).toEqual({ provider: 'wasm', reason: expect.stringMatching(/software/) });
    expect(chooseProvider('auto', { adapter: { vendor: 'intel', isFallbackAdapter: true } }).provider).toBe('wasm');
    expect(chooseProvider('auto', { adapter: { description: 'llvmpipe (LLVM 15.0.6, 256 bits)' } }).provider).toBe('wasm');
  });
  it('falls back to WASM without WebGPU, even when asked for it', () => {
    expect(chooseProvider('auto', { adapter: null })).toEqual({ provider: 'wasm', reason: 'WASM, because this browser has no WebGPU' });
    expect(chooseProvider('webgpu', { adapter: undefined }).provider).toBe('wasm');
  });
  it('lets the user insist on either', () => {
    expect(chooseProvider('webgpu', { adapter: { architecture: 'swiftshader' } }).provider).toBe('webgpu');
    expect(chooseProvider('wasm', { adapter: { vendor: 'nvidia' } }).provider).toBe('wasm');
  });
  it('names the adapter', () => {
    expect(judgeAdapter({ adapter: { vendor: 'apple', architecture: 'metal-3' } }).reason).toBe('WebGPU adapter: apple metal-3');
  });
  it('uses threads only when cross-origin isolated', () => {
    expect(wasmThreads(false, 8)).toBe(1);
    expect(wasmThreads(true, 2)).toBe(2);
    expect(wasmThreads(true, 16)).toBe(4);
  });
});
