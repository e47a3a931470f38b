import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { registerNavigationActions } from './store/navigationActions';
import { registerEditActions } from './store/editActions';
import { registerSpanActions } from './store/spanActions';
import { installAutomation } from './store/automation';
import { boot } from './store/session';
import './ui/styles.css';

registerNavigationActions();
registerEditActions();
registerSpanActions();
installAutomation();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
void boot(new URLSearchParams(location.search));
