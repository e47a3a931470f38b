import type { Action } from './actionRegistry';
import { registerActions } from './actionRegistry';
import { seek, setRate, step, togglePlay } from './player';
import { studio, type Layers } from './studioStore';
import { closeVideo } from './session';

const RATES = [0.125, 0.25, 0.5, 1, 1.5, 2, 4];

function layerToggle(layer: keyof Layers, label: string, key: string): Action {
  return {
    id: `view.layer.${layer}`,
    label,
    keys: [key],
    group: 'View',
    perform: () => {
      const layers = studio.getState().layers;
      studio.setState({ layers: { ...layers, [layer]: !layers[layer] } });
    },
  };
}

const hasVideo = () => studio.getState().video !== null;

export const navigationActions: Action[] = [
  { id: 'playback.toggle', label: 'Play / pause', keys: ['Space'], group: 'Playback', enabled: hasVideo, perform: () => togglePlay() },
  { id: 'frame.next', label: 'Next frame', keys: ['F', 'Alt+ArrowRight'], group: 'Playback', enabled: hasVideo, perform: () => step(1) },
  { id: 'frame.prev', label: 'Previous frame', keys: ['D', 'Alt+ArrowLeft'], group: 'Playback', enabled: hasVideo, perform: () => step(-1) },
  { id: 'frame.forward10', label: '10 frames forward', keys: ['V'], group: 'Playback', enabled: hasVideo, perform: () => step(10) },
  { id: 'frame.back10', label: '10 frames back', keys: ['C'], group: 'Playback', enabled: hasVideo, perform: () => step(-10) },
  { id: 'frame.first', label: 'First frame', keys: ['Home'], group: 'Playback', enabled: hasVideo, perform: () => seek(0) },
  {
    id: 'frame.last',
    label: 'Last frame',
    keys: ['End'],
    group: 'Playback',
    enabled: hasVideo,
    perform: () => seek((studio.getState().video?.frameCount ?? 1) - 1),
  },
  {
    id: 'frame.goto',
    label: 'Go to frame (args: frame number)',
    group: 'Playback',
    enabled: hasVideo,
    perform: (args) => seek(Number(args)),
  },
  {
    id: 'playback.faster',
    label: 'Faster playback',
    keys: [']'],
    group: 'Playback',
    perform: () => setRate(RATES.find((r) => r > studio.getState().rate) ?? RATES[RATES.length - 1]!),
  },
  {
    id: 'playback.slower',
    label: 'Slower playback',
    keys: ['['],
    group: 'Playback',
    perform: () => setRate([...RATES].reverse().find((r) => r < studio.getState().rate) ?? RATES[0]!),
  },
  layerToggle('boxes', 'Show / hide boxes', '1'),
  layerToggle('labels', 'Show / hide labels', '2'),
  layerToggle('arrows', 'Show / hide motion arrows', '3'),
  layerToggle('trails', 'Show / hide trajectory trails', '4'),
  {
    id: 'timeline.zoomIn',
    label: 'Zoom timeline in',
    keys: ['='],
    group: 'Timeline',
    enabled: hasVideo,
    perform: () => zoomTimeline(0.5),
  },
  {
    id: 'timeline.zoomOut',
    label: 'Zoom timeline out',
    keys: ['-'],
    group: 'Timeline',
    enabled: hasVideo,
    perform: () => zoomTimeline(2),
  },
  {
    id: 'track.selectNext',
    label: 'Select next instance',
    keys: ['Tab'],
    group: 'Instances',
    enabled: hasVideo,
    perform: () => cycleSelection(1),
  },
  {
    id: 'track.selectPrev',
    label: 'Select previous instance',
    keys: ['Shift+Tab'],
    group: 'Instances',
    enabled: hasVideo,
    perform: () => cycleSelection(-1),
  },
  { id: 'help.toggle', label: 'Keyboard shortcuts', keys: ['?'], group: 'Help', perform: () => studio.setState((s) => ({ helpOpen: !s.helpOpen })) },
  { id: 'view.dataset', label: 'Back to the dataset', group: 'View', enabled: hasVideo, perform: () => closeVideo() },
];

/** Zoom the timeline window around the current frame by `factor` (<1 zooms in). */
export function zoomTimeline(factor: number): void {
  const { timelineView, frame, video } = studio.getState();
  const n = video?.frameCount ?? 1;
  const width = Math.max(10, Math.min(n, Math.round((timelineView.end - timelineView.start) * factor)));
  let start = Math.round(frame - width / 2);
  start = Math.max(0, Math.min(n - width, start));
  studio.setState({ timelineView: { start, end: start + width } });
}

function cycleSelection(dir: number): void {
  const { annotation, selectedTrackId } = studio.getState();
  const tracks = annotation?.tracks ?? [];
  if (!tracks.length) return;
  const i = tracks.findIndex((t) => t.id === selectedTrackId);
  const next = tracks[(i + dir + tracks.length) % tracks.length]!;
  studio.setState({ selectedTrackId: next.id });
}

export function registerNavigationActions(): void {
  registerActions(navigationActions);
}
