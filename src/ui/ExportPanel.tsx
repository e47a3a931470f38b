import { useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { exportOptions, MAX_SAMPLED_FRAMES } from '../formats/exportDataset';
import { PROFILE_IDS, PROFILES, type ExportContainer, type ProfileId } from '../formats/exportProfiles';
import { BOX_RENDERS, TIME_RENDERS, type BoxRender, type TimeRender } from '../tasks/render';
import { performAction } from '../store/actionRegistry';
import { exportStore, reportJson, saveBlob } from '../store/exportSession';



/** The curator's export: profile and renderings, a streamed file, progress with Cancel, and the validation report. */
export function ExportPanel() {
  const [profile, setProfile] = useState<ProfileId>('imove');
  const [time, setTime] = useState<TimeRender | ''>('');
  const [box, setBox] = useState<BoxRender | ''>('');
  const [frames, setFrames] = useState('');
  const [container, setContainer] = useState<ExportContainer | ''>('');
  const [approvedVideosOnly, setApprovedOnly] = useState(false);
  const st = useStore(exportStore);
  const defaults = exportOptions({ profile });
  const framesN = Number(frames);
  const framesOk = frames === '' || (Number.isInteger(framesN) && framesN >= 1 && framesN <= MAX_SAMPLED_FRAMES);
  const reasons = useMemo(() => {
    const m = new Map<string, number>();
    for (const s of st.report?.skipped ?? []) m.set(s.reason, (m.get(s.reason) ?? 0) + 1);
    return [...m].sort((a, b) => b[1] - a[1]);
  }, [st.report]);
  const p = st.progress;
  const pct = p?.videosTotal ? Math.round((100 * p.videosDone) / p.videosTotal) : 0;
  return (
    <section className="export-panel" aria-label="Export">
      <h3>Export approved pairs</h3>
      <div className="export-options">
        <label>
          Profile{' '}
          <select aria-label="Profile" value={profile} onChange={(e) => setProfile(e.target.value as ProfileId)}>
            {PROFILE_IDS.map((id) => (
              <option key={id} value={id}>
                {PROFILES[id].label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Time{' '}
          <select aria-label="Time rendering" value={time} onChange={(e) => setTime(e.target.value as TimeRender | '')}>
            <option value="">profile default ({defaults.time})</option>
            {TIME_RENDERS.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label>
          Boxes{' '}
          <select aria-label="Box rendering" value={box} onChange={(e) => setBox(e.target.value as BoxRender | '')}>
            <option value="">profile default ({defaults.box})</option>
            {BOX_RENDERS.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </label>
        <label>
          Sampled frames{' '}
          <input aria-label="Sampled frames" className={framesOk ? '' : 'invalid'} style={{ width: 60 }} placeholder={String(defaults.frames)} value={frames} onChange={(e) => setFrames(e.target.value.trim())} />
        </label>
        <label>
          File{' '}
          <select aria-label="Export file" value={container} onChange={(e) => setContainer(e.target.value as ExportContainer | '')}>
            <option value="">profile default ({PROFILES[profile].container === 'json' ? 'JSON array' : 'JSON Lines'})</option>
            <option value="jsonl">JSON Lines (.jsonl)</option>
            <option value="json">JSON array (.json)</option>
          </select>
        </label>
        <label>
          <input type="checkbox" checked={approvedVideosOnly} onChange={(e) => setApprovedOnly(e.target.checked)} /> approved videos only
        </label>
      </div>
      <p className="muted">
        {PROFILES[profile].tasks.map((t) => t.replace('_', ' ')).join(', ')}
        {Object.entries(PROFILES[profile].unsupported).map(([t, why]) => ` · not ${t.replace('_', ' ')}: ${why}`)}
      </p>
      <div className="export-run">
        <button
          type="button"
          className="primary"
          disabled={st.running || !framesOk}
          onClick={() => void performAction('export.run', { profile, approvedVideosOnly, ...(time ? { time } : {}), ...(box ? { box } : {}), ...(frames ? { frames: framesN } : {}), ...(container ? { container } : {}) })}
        >
          Export
        </button>
        {st.running && (
          <>
            <span className="progress" role="progressbar" aria-label="Export progress" aria-valuenow={pct}>
              {p?.videosDone ?? 0} / {p?.videosTotal ?? '?'} videos · {(p?.written ?? 0).toLocaleString()} records
            </span>
            <button type="button" onClick={() => void performAction('export.cancel')}>
              Cancel
            </button>
          </>
        )}
      </div>
      {!framesOk && <div className="error">Sampled frames: a whole number from 1 to {MAX_SAMPLED_FRAMES}.</div>}
      {st.error && <div className="error" role="alert">{st.error}</div>}
      {st.report && (
        <div className="export-report" data-testid="export-report">
          <p>
            {st.report.written ? (
              <>
                <strong>{st.report.written.toLocaleString()}</strong> {st.report.written === 1 ? 'record' : 'records'} written to {st.fileName} from {st.report.videos} {st.report.videos === 1 ? 'video' : 'videos'};{' '}
              </>
            ) : (
              <>
                <strong>Nothing to write</strong>, so no file was made ({st.report.videos} {st.report.videos === 1 ? 'video' : 'videos'} read);{' '}
              </>
            )}
            <strong>{st.report.skipped.length.toLocaleString()}</strong> skipped.{' '}
            <button type="button" className="link" onClick={() => saveBlob(new Blob([reportJson(st.report!, st.nominal, st.returned)], { type: 'application/json' }), `${st.fileName ?? 'export'}.report.json`)}>
              Download the report
            </button>
          </p>
          {st.returned.length > 0 && (
            <p className="warning">
              {st.returned.length} returned {st.returned.length === 1 ? 'video was' : 'videos were'} not exported (back with {st.returned.length === 1 ? 'its annotator' : 'their annotators'}): {st.returned.slice(0, 5).join(', ')}
              {st.returned.length > 5 ? '…' : ''}
            </p>
          )}
          {st.nominal.length > 0 && <p className="warning">Times of {st.nominal.length} video(s) come from their nominal frame rate (never opened in this browser): {st.nominal.slice(0, 5).join(', ')}{st.nominal.length > 5 ? '…' : ''}</p>}
          {reasons.length > 0 && (
            <ul className="skip-reasons">
              {reasons.slice(0, 12).map(([reason, n]) => (
                <li key={reason}>
                  {n.toLocaleString()} × {reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
