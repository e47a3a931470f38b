import type { QaTask } from '../tasks/generate';

export const TASK_LABEL: Record<QaTask, string> = {
  spatial_grounding: 'Spatial grounding',
  temporal_grounding: 'Temporal grounding',
  dynamic_captioning: 'Dynamic captioning',
};
