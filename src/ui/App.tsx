import { useRef } from 'react';
import { useStore } from 'zustand';
import { studio } from '../store/studioStore';
import { closeVideo, openLocalFiles } from '../store/session';
import { retrySaving } from '../store/history';
import { DatasetView } from './DatasetView';
import { AskDialog } from './AskDialog';
import { HelpSheet } from './HelpSheet';
import { Timeline } from './Timeline';
import { Inspector } from './Inspector';
import { EncoderBar } from './EncoderBar';
import { SpanPanel } from './SpanPanel';
import { Transport } from './Transport';
import { VideoStage } from './VideoStage';
import { useShortcuts } from './useShortcuts';
import { downloadWork } from './downloadWork';
import { FilePicker } from './FilePicker';
import { ReviewPage } from './ReviewPage';
import { QueuePanel } from './ReviewQueue';
import { ProgressPage } from './ProgressPage';
import { queueStore } from '../store/reviewQueue';
import { performAction } from '../store/actionRegistry';
import type { Page } from '../store/studioStore';

function Banner() {
  const storageError = useStore(studio, (s) => s.storageError);
  if (!storageError) return null;
  return (
    <div className="error banner" role="alert">
      {storageError} Your work is still in this tab.{' '}
      <button onClick={() => downloadWork()}>Download my work</button>{' '}
      <button onClick={() => void retrySaving()}>Retry saving</button>
    </div>
  );
}

function VideoView() {
  const open = useStore(studio, (s) => s.open);
  const error = useStore(studio, (s) => s.videoError);
  const warning = useStore(studio, (s) => s.videoWarning);
  const loading = useStore(studio, (s) => s.loading);
  const reviewing = useStore(queueStore, (q) => q.active && q.items.length > 0);
  const stageRef = useRef<HTMLDivElement>(null);
  const focusStage = () => stageRef.current?.focus();
  return (
    <section className="video-view" aria-label={`Video ${open?.id ?? ''}`}>
      <div className="stage-row">
      {reviewing && <QueuePanel />}
      <div className="stage" ref={stageRef} tabIndex={-1} data-testid="stage">
        <VideoStage />
        {loading && (
          <div className="progress center" role="progressbar">
            {loading.label}… {loading.total ? `${Math.round((100 * loading.loaded) / loading.total)}%` : ''}
          </div>
        )}
        {error && (
          <div className="error center" role="alert">
            <strong>Cannot open {open?.id}.</strong> {error}
          </div>
        )}
      </div>
      <SpanPanel />
      </div>
      {warning && <div className="warning" role="status">{warning}</div>}
      <Transport focusStage={focusStage} />
      <Inspector focusStage={focusStage} />
      <EncoderBar />
      <Timeline />
    </section>
  );
}

const PAGES: Array<[Page, string]> = [
  ['videos', 'Videos'],
  ['review', 'Review'],
  ['progress', 'Progress & export'],
];

function PageTabs() {
  const page = useStore(studio, (s) => s.page);
  const open = useStore(studio, (s) => s.open);
  // A video shown from the review queue is still the Review page.
  const reviewing = useStore(queueStore, (q) => q.active);
  const current = open ? (reviewing ? 'review' : null) : page;
  return (
    <nav className="tabs" aria-label="Pages">
      {PAGES.map(([id, label]) => (
        <button
          key={id}
          type="button"
          className={current === id ? 'tab on' : 'tab'}
          aria-current={current === id ? 'page' : undefined}
          onClick={() => {
            if (open) closeVideo();
            if (id !== 'review') queueStore.setState({ active: false });
            studio.setState({ page: id });
          }}
        >
          {label}
        </button>
      ))}
    </nav>
  );
}

/** The open video's curated tracks in another tool's format (a download). */
function TrackExport() {
  return (
    <select
      aria-label="Export tracks"
      value=""
      onChange={(e) => {
        const format = e.target.value;
        e.target.value = '';
        if (format) void performAction('tracks.export', { format });
      }}
    >
      <option value="">Export tracks…</option>
      <option value="mot">MOT gt.txt + seqinfo.ini</option>
      <option value="cvat">CVAT for video 1.1 XML</option>
      <option value="labelstudio">Label Studio video JSON</option>
      <option value="youtubevis">YouTube-VIS JSON</option>
    </select>
  );
}

function DatasetPage() {
  const page = useStore(studio, (s) => s.page);
  if (page === 'review') return <ReviewPage />;
  if (page === 'progress') return <ProgressPage />;
  return <DatasetView />;
}

export function App() {
  useShortcuts();
  const open = useStore(studio, (s) => s.open);
  const dataset = useStore(studio, (s) => s.dataset);
  return (
    <div className="app">
      <header className="topbar">
        <strong className="brand">iMOVE Studio</strong>
        <nav aria-label="Breadcrumb">
          {open ? (
            <>
              <button className="link" onClick={() => closeVideo()}>
                {dataset?.name ?? 'Dataset'}
              </button>{' '}
              / <span>{open.title ?? open.id}</span>
            </>
          ) : (
            <span>{dataset?.name ?? ''}</span>
          )}
        </nav>
        {dataset && <PageTabs />}
        <span className="spacer" />
        {open && <TrackExport />}
        <FilePicker
          accept="video/*,.mp4,.mov,.webm,.mkv,.json,.jsonl,.xml,.txt,.ini"
          title="Open a video file and, optionally, its proposals: iMOVE .json/.jsonl, CVAT .xml, Label Studio or YouTube-VIS .json, MOT gt.txt (+ seqinfo.ini)"
          onFiles={(files) => void openLocalFiles(files)}
        >
          Open files…
        </FilePicker>
        <button onClick={() => studio.setState((s) => ({ helpOpen: !s.helpOpen }))} title="Keyboard shortcuts (?)">
          ?
        </button>
      </header>
      <Banner />
      <main>{open ? <VideoView /> : <DatasetPage />}</main>
      <HelpSheet />
      <AskDialog />
    </div>
  );
}
