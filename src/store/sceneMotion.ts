import { compensateCamera } from '../model/cameraPath';
import type { KeyframeTable, Track } from '../model/types';
import { encoderStore } from './encoderStore';
import { shownKeys } from './shownKeys';

/** The camera path when the user asked for motion relative to the scene and one is known. */
export function sceneCamera(): { x: Float32Array; y: Float32Array } | null {
  const e = encoderStore.getState();
  return e.sceneRelative ? e.camera : null;
}

const cache = new WeakMap<KeyframeTable, { camera: object; keys: KeyframeTable }>();

/**
 * The keys a motion summary measures: what the track shows, with the camera's motion taken out
 * when the scene-relative view is on (a panning camera otherwise makes a still dog "run left").
 */
export function motionKeys(t: Track): KeyframeTable {
  const keys = shownKeys(t);
  const cam = sceneCamera();
  if (!cam) return keys;
  const hit = cache.get(keys);
  if (hit && hit.camera === cam) return hit.keys;
  const out = compensateCamera(keys, cam.x, cam.y);
  cache.set(keys, { camera: cam, keys: out });
  return out;
}
