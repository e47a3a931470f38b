import { useStore } from 'zustand';
import { listActions } from '../store/actionRegistry';
import { studio } from '../store/studioStore';

/** The `?` sheet, generated from the action registry. */
export function HelpSheet() {
  const open = useStore(studio, (s) => s.helpOpen);
  if (!open) return null;
  const groups = new Map<string, ReturnType<typeof listActions>>();
  for (const a of listActions()) groups.set(a.group, [...(groups.get(a.group) ?? []), a]);
  return (
    <div className="help" role="dialog" aria-label="Keyboard shortcuts" onClick={() => studio.setState({ helpOpen: false })}>
      <div className="help-card" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        {[...groups].map(([g, acts]) => (
          <div key={g}>
            <h3>{g}</h3>
            <table>
              <tbody>
                {acts.map((a) => (
                  <tr key={a.id}>
                    <td className="keys">{a.keys?.map((k) => <kbd key={k}>{k}</kbd>) ?? <span className="muted">—</span>}</td>
                    <td>{a.label}</td>
                    <td className="muted">{a.id}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
        <p className="muted">Press ? or click outside to close.</p>
      </div>
    </div>
  );
}
