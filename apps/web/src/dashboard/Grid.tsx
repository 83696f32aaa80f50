/** The class grid: filter, search and tiles sorted by who needs attention (re-sorted once a second). */
import { useCallback, useMemo, useState } from 'react';
import type { SessionSettings } from '@smartsession/protocol';
import type { DashboardStore } from './store.js';
import { useTopic } from './hooks.js';
import { GRID_FILTERS, gridOrder, type GridFilter } from './needs.js';
import { Tile } from './Tile.js';

interface GridProps {
  store: DashboardStore;
  settings: SessionSettings;
  selected: string | null;
  onOpen(id: string): void;
}

/** Grid of student tiles with its controls. */
export function Grid({ store, settings, selected, onOpen }: GridProps) {
  const [filter, setFilter] = useState<GridFilter>('all');
  const [query, setQuery] = useState('');
  // Re-sorted on the once-a-second tick (not on every status change), so tiles do not jump about and
  // the reordering shares the frame of the other once-a-second updates.
  const version = useTopic(store, 'class', (s) => (s.students.size < 300 ? s.rosterVersion : 0));
  const order = useMemo(
    () => gridOrder([...store.students.values()], filter, query, settings.mode),
    // `version` stands for the store's roster, which is read through `store`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [store, version, filter, query, settings.mode],
  );
  const total = store.students.size;
  const open = useCallback((id: string) => onOpen(id), [onOpen]);
  return (
    <section className="grid-section" aria-label="Class grid">
      <div className="grid-controls">
        <label>
          Show{' '}
          <select
            value={filter}
            onChange={(e) => setFilter(e.target.value as GridFilter)}
            data-testid="grid-filter"
          >
            {GRID_FILTERS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <input
          type="search"
          placeholder="Search by name"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="grid-search"
          aria-label="Search by name"
        />
        <span className="muted" data-testid="grid-count">
          {order.length} of {total} students · sorted by who needs attention
        </span>
      </div>
      {total === 0 ? (
        <p className="empty">No students yet. Share the join code: students appear here as they join.</p>
      ) : (
        <div className="grid" data-testid="student-grid">
          {order.map((id) => (
            <Tile
              key={id}
              store={store}
              id={id}
              emotion={settings.emotion}
              mode={settings.mode}
              selected={id === selected}
              onOpen={open}
            />
          ))}
        </div>
      )}
    </section>
  );
}
