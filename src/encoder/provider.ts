/**
 * Which execution provider to use. WebGPU only pays off on a real GPU: a fallback (software)
 * adapter — SwiftShader in headless Chromium, llvmpipe/lavapipe on Linux — runs these networks
 * 30–100× slower than WASM, so it counts as no GPU at all unless the user insists.
 */
export type Provider = 'wasm' | 'webgpu';
export type ProviderChoice = 'auto' | Provider;

export interface AdapterFacts {
  /** null: navigator.gpu is missing; undefined: requestAdapter() gave no adapter. */
  adapter: null | undefined | { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render/i;

export function judgeAdapter(facts: AdapterFacts): { real: boolean; reason: string } {
  const a = facts.adapter;
  if (a === null) return { real: false, reason: 'this browser has no WebGPU' };
  if (a === undefined) return { real: false, reason: 'WebGPU offered no adapter' };
  const name = [a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(' ') || 'unnamed adapter';
  if (a.isFallbackAdapter) return { real: false, reason: `the WebGPU adapter (${name}) is a software fallback` };
  if (SOFTWARE.test(name)) return { real: false, reason: `the WebGPU adapter (${name}) is software` };
  return { real: true, reason: `WebGPU adapter: ${name}` };
}

export interface ProviderDecision {
  provider: Provider;
  /** Said to the user: why this one. */
  reason: string;
}

export function chooseProvider(choice: ProviderChoice, facts: AdapterFacts): ProviderDecision {
  const judged = judgeAdapter(facts);
  if (choice === 'wasm') return { provider: 'wasm', reason: 'WASM chosen by you' };
  if (choice === 'webgpu') {
    if (facts.adapter === null || facts.adapter === undefined) return { provider: 'wasm', reason: `WebGPU asked for, but ${judged.reason}: using WASM` };
    return { provider: 'webgpu', reason: `WebGPU chosen by you (${judged.reason.replace(/^WebGPU adapter: /, '')})` };
  }
  if (judged.real) return { provider: 'webgpu', reason: judged.reason };
  return { provider: 'wasm', reason: `WASM, because ${judged.reason}` };
}

/** WASM threads need SharedArrayBuffer, i.e. a cross-origin isolated page. */
export function wasmThreads(crossOriginIsolated: boolean, cores: number): number {
  return crossOriginIsolated ? Math.max(1, Math.min(4, cores)) : 1;
}
