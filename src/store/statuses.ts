import type { VideoStatus } from '../model/types';
import { saveSoon } from './persistence';
import { studio } from './studioStore';

/** Video statuses are kept per dataset (local-first: they override the manifest's). */
export const statusesKey = (url: string) => `statuses:${url}`;

export function statusOf(videoId: string): VideoStatus {
  const s = studio.getState();
  return s.statuses[videoId] ?? s.dataset?.videos.find((v) => v.id === videoId)?.status ?? 'todo';
}

export function setStatus(videoId: string, status: VideoStatus): void {
  const { statuses, dataset } = studio.getState();
  studio.setState({ statuses: { ...statuses, [videoId]: status } });
  if (dataset) saveSoon(statusesKey(dataset.url), studio.getState().statuses);
}
