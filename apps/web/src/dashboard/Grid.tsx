/**
 * The class grid: filter, search and tiles in the order of who needs attention. The tiles are rendered in
 * that order (the store sorts at most once a second), so what is seen, the Tab order and a screen reader's
 * order are the same; while the keyboard is in the grid the order holds still.
 */
import { useCallback, useState } from 'react';
import type { SessionSettings } from '@smartsession/protocol';
import type { DashboardStore } from './store.js';
import { useTopic } from './hooks.js';
import { GRID_FILTERS, matchesFilter, matchesSearch, type GridFilter } from './needs.js';
import { Tile } from './Tile.js';
import { useI18n } from '../i18n/i18n.js';

interface GridProps {
  store: DashboardStore;
  settings: SessionSettings;
  selected: string | null;
  onOpen(id: string, el: HTMLElement): void;
}

/** "N of M students", refreshed on the once-a-second tick. */
function GridCount({ store, filter, query }: { store: DashboardStore; filter: GridFilter; query: string }) {
  const { t } = useI18n();
  useTopic(store, 'class', (s) => s.rosterVersion);
  let shown = 0;
  for (const s of store.students.values())
    if (matchesFilter(s, filter) && matchesSearch(store.label(s.participantId), query)) shown++;
  return (
    <span className="muted" data-testid="grid-count">
      {t('grid.count', { shown, total: store.students.size })}
    </span>
  );
}

/** Grid of student tiles with its controls. */
export function Grid({ store, settings, selected, onOpen }: GridProps) {
  const { t } = useI18n();
  const [filter, setFilter] = useState<GridFilter>('all');
  const [query, setQuery] = useState('');
  const [held, setHeld] = useState(false);
  const ids = useTopic(store, 'order', (s) => s.orderedIds);
  const open = useCallback((id: string, el: HTMLElement) => onOpen(id, el), [onOpen]);
  const hold = (on: boolean) => {
    store.freezeOrder(on);
    setHeld(on);
  };
  return (
    <section className="panel grid-section" aria-labelledby="grid-title">
      <h2 id="grid-title">{t('grid.title')}</h2>
      <div className="grid-controls">
        <label>
          {t('grid.show')}{' '}
          <select
            value={filter}
            onChange={(e) => setFilter(e.target.value as GridFilter)}
            data-testid="grid-filter"
          >
            {GRID_FILTERS.map((f) => (
              <option key={f} value={f}>
                {f === 'alert' ? t(`filter.alert.${settings.mode}`) : t(`filter.${f}`)}
              </option>
            ))}
          </select>
        </label>
        <input
          type="search"
          placeholder={t('grid.search')}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="grid-search"
          aria-label={t('grid.search')}
        />
        <GridCount store={store} filter={filter} query={query} />
      </div>
      <p className="muted small-text" aria-live="polite" data-testid="grid-order-note">
        {held ? t('grid.orderHeld') : t('grid.orderNote')}
      </p>
      {store.students.size === 0 ? (
        <p className="empty">{t('grid.empty')}</p>
      ) : (
        <div
          className="grid"
          data-testid="student-grid"
          onFocus={() => hold(true)}
          onBlur={(e) => {
            if (!e.currentTarget.contains(e.relatedTarget as Node | null)) hold(false);
          }}
        >
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
