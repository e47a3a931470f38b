import { exportContainer, exportOptions } from '../formats/exportDataset';
import { PROFILE_IDS, type ProfileId } from '../formats/exportProfiles';
import { FORMAT_LABEL, writeInterchange, type InterchangeFormat } from '../formats/interchange';
import { motClassId } from '../formats/mot';
import { registerActions, type Action } from './actionRegistry';
import { cancelExport, portableSrc, runExport, saveBlob, type ExportChoice } from './exportSession';
import { shownKeys } from './shownKeys';
import { studio } from './studioStore';

const exportActions: Action[] = [
  {
    id: 'export.run',
    label: 'Export approved pairs (JSON Lines or a JSON array)',
    group: 'Export',
    perform: (args?: Partial<ExportChoice>) => {
      const profile = (args?.profile ?? 'imove') as ProfileId;
      if (!PROFILE_IDS.includes(profile)) {
        studio.setState({ notice: `Export: unknown profile "${profile}" (one of ${PROFILE_IDS.join(', ')}).` });
        return null;
      }
      const choice = { ...args, profile };
      try {
        exportOptions(choice);
        exportContainer(choice);
      } catch (e) {
        studio.setState({ notice: `Export: ${e instanceof Error ? e.message : String(e)}.` });
        return null;
      }
      return runExport(choice);
    },
  },
  { id: 'export.cancel', label: 'Cancel the running export', group: 'Export', perform: () => cancelExport() },
  {
    id: 'tracks.export',
    label: 'Export the open video’s curated tracks (MOT, CVAT, Label Studio, YouTube-VIS)',
    group: 'Export',
    perform: (args?: { format?: InterchangeFormat; download?: boolean }) => {
      const a = studio.getState().annotation;
      const format = args?.format ?? 'cvat';
      if (!a) return null;
      if (format === 'imove' || !(format in FORMAT_LABEL)) {
        studio.setState({ notice: `Export tracks: unknown format "${format}" (mot, cvat, labelstudio or youtubevis).` });
        return null;
      }
      // Named as the manifest names the video (as the JSONL exports do), not by this browser's URL.
      const portable = { ...a, video: { ...a.video, src: portableSrc(a.video.src, studio.getState().dataset?.url) } };
      const files = writeInterchange(format, portable, shownKeys);
      const classless = format === 'mot' ? [...new Set(a.tracks.map((t) => t.category))].filter((c) => motClassId(c) === undefined) : [];
      studio.setState({
        notice: classless.length
          ? `MOT has no class for ${classless.join(', ')}: written as class 1 (pedestrian). CVAT, Label Studio and YouTube-VIS keep categories.`
          : `Exported ${a.tracks.length} instance${a.tracks.length === 1 ? '' : 's'} as ${FORMAT_LABEL[format]}.`,
      });
      if (args?.download !== false) for (const f of files) saveBlob(new Blob([f.text], { type: f.type }), f.name);
      return files.map((f) => ({ name: f.name, text: f.text }));
    },
  },
];

export function registerExportActions(): void {
  registerActions(exportActions);
}
