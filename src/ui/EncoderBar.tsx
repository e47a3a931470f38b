import { useEffect } from 'react';
import { FilePicker } from './FilePicker';
import { useStore } from 'zustand';
import { performAction } from '../store/actionRegistry';
import { prepareEncoder, refreshModels } from '../store/encoderSession';
import { encoderStore } from '../store/encoderStore';
import { addUserModel } from '../store/modelLibrary';
import { studio } from '../store/studioStore';
import type { ProviderChoice } from '../encoder/provider';

/** The local encoder: which model runs where, its work with progress and cancel, and its helpers. */
export function EncoderBar() {
  const e = useStore(encoderStore);
  const frameCount = useStore(studio, (s) => s.video?.frameCount ?? 0);
  const selected = useStore(studio, (s) => s.selectedTrackId);
  useEffect(() => {
    void refreshModels().then(() => prepareEncoder());
  }, []);
  const running = e.busy === 'embed' || e.busy === 'retrack';
  const pct = e.progress && e.progress.total ? Math.round((100 * e.progress.done) / e.progress.total) : null;
  const where = e.provider ? `${e.provider === 'webgpu' ? 'WebGPU' : `WASM${e.threads > 1 ? ` · ${e.threads} threads` : ''}`}` : e.busy === 'load' ? 'loading…' : '—';
  return (
    <div className="encoder-bar" role="toolbar" aria-label="Encoder">
      <label>
        Encoder{' '}
        <select aria-label="Encoder model" value={e.modelId} disabled={running} onChange={(ev) => void performAction('encoder.model', { id: ev.target.value })}>
          {e.models.map((m) => (
            <option key={m.manifest.id} value={m.manifest.id}>
              {m.manifest.name}
              {m.origin === 'user' ? ' (yours)' : ''}
            </option>
          ))}
          {!e.models.some((m) => m.manifest.id === e.modelId) && <option value={e.modelId}>{e.modelId}</option>}
        </select>
      </label>
      <select aria-label="Execution provider" value={e.choice} disabled={running} onChange={(ev) => void performAction('encoder.provider', { choice: ev.target.value as ProviderChoice })} title="Auto uses WebGPU only on a real GPU">
        <option value="auto">Auto</option>
        <option value="wasm">WASM</option>
        <option value="webgpu">WebGPU</option>
      </select>
      <span className="provider" data-testid="encoder-provider" title={e.reason ?? ''}>
        {where}
        {e.reason && <span className="reason"> — {e.reason}</span>}
      </span>
      <FilePicker
        accept=".onnx,.json"
        title="Add your own encoder: an .onnx file and its .json manifest"
        onFiles={(files) =>
          void addUserModel(files)
            .then(async (m) => {
              await refreshModels();
              await performAction('encoder.model', { id: m.id });
              studio.setState({ notice: `Added the encoder "${m.name}".` });
            })
            .catch((err: unknown) => studio.setState({ notice: `Add model: ${err instanceof Error ? err.message : String(err)}` }))
        }
      >
        Add model…
      </FilePicker>
      <span className="sep" />
      {running && e.progress ? (
        <>
          <progress aria-label={e.progress.label} max={e.progress.total || 1} value={e.progress.done} />
          <span className="progress-text">
            {e.progress.label} {e.progress.done}/{e.progress.total}
            {pct !== null ? ` (${pct}%)` : ''}
          </span>
          <button type="button" onClick={() => void performAction('encoder.cancel')} title="Cancel (Shift+Esc)">
            Cancel
          </button>
        </>
      ) : (
        <>
          <button type="button" onClick={() => void performAction('encoder.embed')} disabled={!frameCount || e.busy !== null} title="Embed every frame: boundaries and camera motion (Shift+E)">
            {e.embedded && e.embedded < frameCount ? 'Resume embedding' : 'Embed video'}
          </button>
          <span className="embedded" data-testid="embedded">
            {e.embedded}/{frameCount} frames{e.msPerFrame !== null ? ` · ${e.msPerFrame.toFixed(0)} ms/frame` : ''} · {e.boundaries.length} boundar{e.boundaries.length === 1 ? 'y' : 'ies'}
          </span>
          <button type="button" disabled={!selected || e.busy !== null} onClick={() => void performAction('track.retrackBack')} title="Re-track the selected instance backward from here (Shift+T)">
            ◀ Re-track
          </button>
          <button type="button" disabled={!selected || e.busy !== null} onClick={() => void performAction('track.retrack')} title="Re-track the selected instance forward from here (T)">
            Re-track ▶
          </button>
          <button type="button" disabled={!selected || !e.boundaries.length} onClick={() => void performAction('span.propose')} title="Spans for the selected instance's visible stretches, cut at boundaries (Shift+P)">
            Propose spans
          </button>
        </>
      )}
      <label title="Arrows and motion summaries with the camera's motion taken out (5)">
        <input type="checkbox" checked={e.sceneRelative} onChange={(ev) => void performAction('view.sceneRelative', { on: ev.target.checked })} /> relative to scene
      </label>
      {e.error && (
        <span className="error-text" role="alert">
          {e.error}
        </span>
      )}
    </div>
  );
}
