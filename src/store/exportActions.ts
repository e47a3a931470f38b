import { PROFILE_IDS, type ProfileId } from '../formats/exportProfiles';
import { registerActions, type Action } from './actionRegistry';
import { cancelExport, runExport, type ExportChoice } from './exportSession';
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
];

export function registerExportActions(): void {
  registerActions(exportActions);
}
