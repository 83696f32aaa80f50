/**
 * The class grid: filter, search and tiles placed by who needs attention. Tiles are rendered once in
 * arrival order and placed with a CSS `order` from their own state (see `needOrder`), updated once a
 * second by the store, so the grid is never re-sorted or re-rendered as a whole when statuses change.
 */
import { useCallback, useState } from 'react';
import type { SessionSettings } from '@smartsession/protocol';
import type { DashboardStore } from './store.js';
import { useTopic } from './hooks.js';
import { GRID_FILTERS, matchesFilter, matchesSearch, type GridFilter } from './needs.js';
import { Tile } from './Tile.js';

interface GridProps {
  store: DashboardStore;
  settings: SessionSettings;
  selected: string | null;
  onOpen(id: string): void;
}

/** "N of M students", refreshed on the once-a-second tick. */
function GridCount({ store, filter, query }: { store: DashboardStore; filter: GridFilter; query: string }) {
  useTopic(store, 'class', (s) => s.rosterVersion);
  let shown = 0;
  for (const s of store.students.values())
    if (matchesFilter(s, filter) && matchesSearch(s.name, query)) shown++;
  return (
    <span className="muted" data-testid="grid-count">
      {shown} of {store.students.size} students · sorted by who needs attention
    </span>
  );
}

/** Grid of student tiles with its controls. */
export function Grid({ store, settings, selected, onOpen }: GridProps) {
  const [filter, setFilter] = useState<GridFilter>('all');
  const [query, setQuery] = useState('');
  const ids = useTopic(store, 'roster', (s) => s.rosterIds);
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
        <GridCount store={store} filter={filter} query={query} />
      </div>
      {ids.length === 0 ? (
        <p className="empty">No students yet. Share the join code: students appear here as they join.</p>
      ) : (
        <div className="grid" data-testid="student-grid">
          {ids.map((id) => (
            <Tile
              key={id}
              store={store}
              id={id}
              emotion={settings.emotion}
              mode={settings.mode}
              filter={filter}
              query={query}
              selected={id === selected}
              onOpen={open}
            />
          ))}
        </div>
      )}
    </section>
  );
}
