import type { Annotation, VideoStatus } from '../model/types';
import { parseInWorker } from '../data/parseClient';
import { FORMAT_LABEL, type InterchangeImport } from '../formats/interchange';
import { hash } from '../tasks/generate';
import { FrameClock } from '../video/frameClock';
import { attachClock, detachClock, seek } from './player';
import { fitToFrameSize } from '../model/frameSize';
import { flush, load, saveSoon } from './persistence';
import { loadAnnotation } from './annotationStore';
import { persist, resetHistory, setStored } from './history';
import { setStatus, statusesKey } from './statuses';
import { saveTiming } from './timings';
import { studio, type Dataset, type DatasetVideo, type Layers, type VideoInfo } from './studioStore';

/** What is restored after a reload: where the user was. */
interface SavedSession {
  dataset: string;
  openVideoId: string | null;
  frame: number;
  layers: Layers;
  rate: number;
  timelineView?: { start: number; end: number };
}

const SESSION_KEY = 'session';
const datasetKey = (url: string) => `dataset:${url}`;

let openToken = 0;
let abort: AbortController | null = null;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function adoptDataset(ds: Dataset): Promise<void> {
  // Statuses changed a moment ago may still be waiting to be written: read them back only after.
  await flush().catch(() => undefined);
  const statuses = (await load<Record<string, VideoStatus>>(statusesKey(ds.url))) ?? {};
  const counts = (await load<Record<string, { tracks: number; spans: number }>>(`counts:${ds.url}`)) ?? {};
  studio.setState({ dataset: ds, datasetError: null, datasetLoading: null, statuses, counts });
}

/** Open a dataset manifest by URL (DESIGN §8 `?manifest=`). */
export async function openManifest(url: string): Promise<void> {
  const abs = new URL(url, location.href).href;
  abort?.abort();
  abort = new AbortController();
  studio.setState({ datasetLoading: { label: 'Loading manifest', loaded: 0, total: 0 }, datasetError: null });
  try {
    const manifest = await parseInWorker(
      { url: abs },
      'manifest',
      (loaded, total) => studio.setState({ datasetLoading: { label: 'Loading manifest', loaded, total } }),
      abort.signal,
    );
    const ds: Dataset = { url: abs, name: manifest.name ?? abs, videos: manifest.videos };
    saveSoon(datasetKey(abs), ds);
    await adoptDataset(ds);
  } catch (e) {
    // Offline or gone: fall back to the copy kept in this browser.
    const saved = await load<Dataset>(datasetKey(abs));
    if (saved) {
      await adoptDataset(saved);
      studio.setState({ datasetError: `Showing the saved copy: ${message(e)}` });
    } else studio.setState({ datasetError: message(e), datasetLoading: null });
  }
}

/** Open one video directly (DESIGN §8 `?video=&proposals=`). */
export async function openSingle(videoUrl: string, proposalsUrl: string | null): Promise<void> {
  const src = new URL(videoUrl, location.href).href;
  const proposals = proposalsUrl ? new URL(proposalsUrl, location.href).href : undefined;
  const id = decodeURIComponent(src.split('/').pop()?.replace(/\.[^.]*$/, '') || 'video');
  const entry: DatasetVideo = { id, src, ...(proposals ? { proposals } : {}) };
  const ds: Dataset = { url: `single:${src}|${proposals ?? ''}`, name: 'Single video', videos: [entry] };
  await adoptDataset(ds);
  await openVideo(entry);
}

/** Open a video (and optionally its proposals) from the user's disk. */
export async function openLocalFiles(files: File[]): Promise<void> {
  const video = files.find((f) => f.type.startsWith('video/') || /\.(mp4|m4v|mov|webm|mkv)$/i.test(f.name));
  const seqinfo = files.find((f) => /\.ini$/i.test(f.name));
  // Proposals in any interchange format: ours (.json/.jsonl), Label Studio or YouTube-VIS (.json), CVAT (.xml), MOT (.txt).
  const proposals = files.find((f) => /\.(jsonl?|xml|txt)$/i.test(f.name));
  if (!video) {
    studio.setState({ datasetError: `No video among ${files.map((f) => f.name).join(', ') || 'the chosen files'} (expected .mp4, .mov, .webm or .mkv).` });
    return;
  }
  // The id names what was opened (video and proposals), so local files never share the saved
  // annotation of a dataset video that happens to have the same file name.
  const stem = video.name.replace(/\.[^.]*$/, '');
  const id = `${stem}~${hash(`${video.name}|${video.size}|${proposals?.name ?? ''}|${proposals?.size ?? ''}`).slice(0, 6)}`;
  const entry: DatasetVideo = {
    id,
    title: video.name,
    src: video.name,
    file: video,
    ...(proposals ? { proposals: proposals.name, proposalsFile: proposals } : {}),
    ...(seqinfo ? { seqinfoFile: seqinfo, seqinfoName: seqinfo.name } : {}),
  };
  const ds: Dataset = { url: `local:${video.name}|${video.size}|${proposals?.name ?? ''}`, name: `Local: ${video.name}`, videos: [entry] };
  const previous = studio.getState().dataset;
  await adoptDataset(ds);
  await openVideo(entry);
  const failed = studio.getState().open?.id === id ? studio.getState().videoError : null;
  if (failed && previous) {
    // Nothing is half-applied: the dataset the user was in comes back, with the reason.
    closeVideo();
    await adoptDataset(previous);
    studio.setState({ datasetError: `Could not open ${files.map((f) => f.name).join(' + ')}: ${failed}` });
    return;
  }
  if (failed) return;
  // The page's address no longer names what is open: left as ?manifest=…, a reload would reopen
  // that dataset instead of these files (the session restores them when the address names nothing).
  const url = new URL(location.href);
  if (['manifest', 'video', 'proposals'].some((k) => url.searchParams.has(k))) {
    for (const k of ['manifest', 'video', 'proposals']) url.searchParams.delete(k);
    history.replaceState(history.state, '', url);
  }
  saveSoon(datasetKey(ds.url), ds);
  // On disk now, with the session naming it: a reload right after the open comes back here.
  await flush().catch(() => undefined);
}

function info(c: FrameClock): VideoInfo {
  const i = c.info;
  return { width: i.width, height: i.height, frameCount: i.frameCount, fps: i.fps, vfr: i.vfr, codec: i.codec, rotation: i.rotation, timestamps: i.timestamps };
}

let pendingOpen: Promise<void> = Promise.resolve();
/** Settles when the video being opened (if any) is shown or has failed: scripts may seek right after a click. */
export function whenOpened(): Promise<void> {
  return pendingOpen;
}

export function openVideo(entry: DatasetVideo, startFrame?: number): Promise<void> {
  pendingOpen = openVideoNow(entry, startFrame);
  return pendingOpen;
}

async function openVideoNow(entry: DatasetVideo, startFrame?: number): Promise<void> {
  const token = ++openToken;
  detachClock();
  studio.setState({
    open: entry,
    annotation: null,
    video: null,
    videoError: null,
    videoWarning: null,
    selectedTrackId: null,
    pairTrackId: null,
    drawing: false,
    notice: null,
    frame: 0,
    overlayFrame: -1,
    loading: { label: 'Opening video', loaded: 0, total: 0 },
  });
  const stale = () => token !== openToken;
  try {
    const [clock, saved] = await Promise.all([FrameClock.open(entry.file ?? entry.src), loadAnnotation(entry.id)]);
    if (stale()) {
      clock.dispose();
      return;
    }
    // Formats without the video's size, rate or length (Label Studio, MOT, CVAT) take them from the file.
    // Proposals are read after the container so they can; an edited saved copy wins, so it is not read at all.
    let parsed: InterchangeImport | null = null;
    if ((entry.proposalsFile || entry.proposals) && !saved?.edited) {
      const c = clock.info;
      const seqinfo = entry.seqinfoFile ? { text: await entry.seqinfoFile.text(), name: entry.seqinfoName ?? 'seqinfo.ini' } : undefined;
      try {
        parsed = await parseInWorker(
          entry.proposalsFile ? { file: entry.proposalsFile as File } : { url: entry.proposals! },
          'proposals',
          (loaded, total) => {
            if (!stale()) studio.setState({ loading: { label: 'Reading proposals', loaded, total } });
          },
          undefined,
          { width: c.width, height: c.height, fps: c.fps, frameCount: c.frameCount, ...(seqinfo ? { seqinfo } : {}) },
        );
      } catch (e) {
        clock.dispose();
        throw e;
      }
      if (stale()) {
        clock.dispose();
        return;
      }
    }
    const video = info(clock);
    const proposal = parsed?.annotations.length ? pickAnnotation(parsed.annotations, entry) : null;
    // Local edits win over the pipeline's proposals: nothing a person did is lost on reload.
    // A copy saved before anyone edited it does not hide newer proposals.
    // Proposals made at another resolution: boxes scaled to the file where the shape agrees.
    const fit = proposal ? fitToFrameSize(proposal, video.width, video.height) : null;
    const fresh = fit?.annotation ?? null;
    const annotation: Annotation = (saved && (saved.edited || !fresh) ? saved : null) ??
      fresh ??
      saved ?? {
        video: { id: entry.id, src: entry.src, width: video.width, height: video.height, fps: video.fps, frameCount: video.frameCount },
        tags: [],
        tracks: [],
        spans: [],
      };
    const warnings = [
      ...(annotation === fresh && parsed && parsed.format !== 'imove' ? [`Imported from ${FORMAT_LABEL[parsed.format]}.`, ...parsed.notes] : []),
      ...(annotation === fresh && fit?.note ? [fit.note] : []),
      ...(annotation.video.frameCount !== video.frameCount ? [`The proposals say ${annotation.video.frameCount} frames, the video file has ${video.frameCount}. Frames are counted from the file.`] : []),
    ];
    const warning = warnings.length ? warnings.join(' ') : null;
    studio.setState({
      video,
      annotation,
      videoWarning: warning,
      loading: null,
      timelineView: { start: 0, end: video.frameCount },
    });
    resetHistory();
    setStored(saved ?? null);
    saveTiming(entry.id, video.timestamps, video.fps);
    if (annotation !== saved) void persist(annotation);
    if ((studio.getState().statuses[entry.id] ?? entry.status ?? 'todo') === 'todo') setStatus(entry.id, 'in_progress');
    attachClock(clock);
    await seek(startFrame ?? 0);
  } catch (e) {
    if (stale()) return;
    studio.setState({ videoError: message(e), loading: null });
  }
}

function pickAnnotation(list: Annotation[], entry: DatasetVideo): Annotation {
  const a = list.find((x) => x.video.id === entry.id) ?? list[0]!;
  // The dataset entry names the file to play; the proposals' own src may be relative to elsewhere.
  return { ...a, video: { ...a.video, id: entry.id, src: entry.src } };
}

export function closeVideo(): void {
  openToken++;
  detachClock();
  studio.setState({ open: null, annotation: null, video: null, videoError: null, videoWarning: null, loading: null });
}

/** Restore where the user was, or open what the URL asks for. */
export async function boot(params: URLSearchParams): Promise<void> {
  const manifest = params.get('manifest');
  const video = params.get('video');
  const saved = await load<SavedSession>(SESSION_KEY);
  if (saved) studio.setState({ layers: saved.layers, rate: saved.rate });
  if (video) {
    const sameAsSaved = saved?.dataset === `single:${new URL(video, location.href).href}|${params.get('proposals') ? new URL(params.get('proposals')!, location.href).href : ''}`;
    await openSingle(video, params.get('proposals'));
    if (sameAsSaved && saved && saved.frame > 0) await seek(saved.frame);
  } else {
    const restoreLocal = !manifest && saved?.dataset.startsWith('local:') ? await load<Dataset>(datasetKey(saved.dataset)) : undefined;
    if (restoreLocal) await adoptDataset(restoreLocal);
    else await openManifest(manifest ?? (saved && !saved.dataset.startsWith('single:') ? saved.dataset : null) ?? 'demo/manifest.json');
    const ds = studio.getState().dataset;
    if (saved && ds && saved.dataset === ds.url && saved.openVideoId) {
      const entry = ds.videos.find((v) => v.id === saved.openVideoId);
      if (entry) {
        await openVideo(entry, saved.frame);
        if (saved.timelineView) studio.setState({ timelineView: saved.timelineView });
      }
    }
  }
  watchSession();
}

let watching = false;
function watchSession(): void {
  if (watching) return;
  watching = true;
  studio.subscribe((s, prev) => {
    if (s.dataset === prev.dataset && s.open === prev.open && s.frame === prev.frame && s.layers === prev.layers && s.rate === prev.rate && s.timelineView === prev.timelineView) return;
    if (!s.dataset) return;
    const session: SavedSession = {
      dataset: s.dataset.url,
      openVideoId: s.open?.id ?? null,
      frame: s.frame,
      layers: s.layers,
      rate: s.rate,
      timelineView: s.timelineView,
    };
    saveSoon(SESSION_KEY, session);
  });
}
