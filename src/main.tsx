import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { registerNavigationActions } from './store/navigationActions';
import { registerEditActions } from './store/editActions';
import { registerSpanActions } from './store/spanActions';
import { registerEncoderActions } from './store/encoderActions';
import { registerReviewActions, resumeReview, watchQueue } from './store/reviewActions';
import { restoreDrafts } from './store/drafts';
import { restoreReviewer, watchReviewPlace } from './store/reviewQueue';
import { registerExportActions } from './store/exportActions';
import { restoreEncoderPrefs, watchOpenVideo } from './store/encoderSession';
import { installAutomation } from './store/automation';
import { boot } from './store/session';
import './ui/styles.css';

registerNavigationActions();
registerEditActions();
registerSpanActions();
registerEncoderActions();
registerReviewActions();
registerExportActions();
watchOpenVideo();
watchQueue();
void restoreReviewer();
installAutomation();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
// The encoder's model decides which cached embeddings belong to a video: restore it first.
// Drafts before the video opens, so its caption and pair editors start from what was being typed.
void Promise.all([restoreEncoderPrefs(), restoreDrafts()])
  .then(() => boot(new URLSearchParams(location.search)))
  .then(() => resumeReview())
  .finally(() => watchReviewPlace());
