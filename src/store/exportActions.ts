import { PROFILE_IDS, type ProfileId } from '../formats/exportProfiles';
import { FORMAT_LABEL, writeInterchange, type InterchangeFormat } from '../formats/interchange';
import { shownKeys } from './shownKeys';
import { registerActions, type Action } from './actionRegistry';
import { cancelExport, runExport, saveBlob, type ExportChoice } from './exportSession';
import { studio } from './studioStore';

const exportActions: Action[] = [
  {
    id: 'export.run',
    label: 'Export approved pairs as JSONL',
    group: 'Export',
    perform: (args?: Partial<ExportChoice>) => {
      const profile = (args?.profile ?? 'imove') as ProfileId;
      if (!PROFILE_IDS.includes(profile)) {
        studio.setState({ notice: `Export: unknown profile "${profile}" (one of ${PROFILE_IDS.join(', ')}).` });
        return null;
      }
      return runExport({ ...args, profile });
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
      const files = writeInterchange(format, a, shownKeys);
      if (args?.download !== false) for (const f of files) saveBlob(new Blob([f.text], { type: f.type }), f.name);
      return files.map((f) => ({ name: f.name, text: f.text }));
    },
  },
];

export function registerExportActions(): void {
  registerActions(exportActions);
}
