/** One student's tile: status colour and word, reason, time in state, sparkline. Re-renders only for its student. */
import { memo, useEffect, useRef } from 'react';
import type { EmotionSetting, SessionMode } from '@smartsession/protocol';
import type { DashboardStore } from './store.js';
import { useElapsedRef, useStudent } from './hooks.js';
import { Sparkline } from './Sparkline.js';
import { STATUS_LOOK } from '../shared/status.js';
import { reasonText } from '../shared/reason.js';
import { matchesFilter, matchesSearch, type GridFilter } from './needs.js';

interface TileProps {
  store: DashboardStore;
  id: string;
  emotion: EmotionSetting;
  mode: SessionMode;
  filter: GridFilter;
  query: string;
  selected: boolean;
  onOpen(id: string): void;
}

/** A student tile (`data-testid="student-tile"` with `data-name`, `data-status`, `data-alert`). */
export const Tile = memo(function Tile({
  store,
  id,
  emotion,
  mode,
  filter,
  query,
  selected,
  onOpen,
}: TileProps) {
  const s = useStudent(store, id);
  const place = useRef<HTMLButtonElement>(null);
  const present = s !== undefined;
  useEffect(() => {
    if (!present || !place.current) return;
    return store.registerTile(id, place.current);
  }, [store, id, present]);
  const elapsed = useElapsedRef<HTMLSpanElement>(s?.statusSince ?? 0, store.now);
  if (!s) return null;
  const look = STATUS_LOOK[s.status];
  const lost = s.lostSince !== null && s.status !== 'offline';
  const prominent = s.status === 'alert' && mode === 'exam';
  return (
    <button
      type="button"
      className={`tile tone-${look.tone}${prominent ? ' prominent' : ''}${lost ? ' lost' : ''}${selected ? ' selected' : ''}`}
      // Its place in the grid (CSS order) is set by the store once a second: see registerTile.
      ref={place}
      style={{
        background: look.background,
        borderColor: look.colour,
        display: matchesFilter(s, filter) && matchesSearch(s.name, query) ? undefined : 'none',
      }}
      data-testid="student-tile"
      data-name={s.name}
      data-status={s.status}
      data-alert={s.status === 'alert' ? (s.alert ?? undefined) : undefined}
      data-lost={lost ? 'true' : undefined}
      onClick={() => onOpen(id)}
      title={`${s.name}: ${look.word}`}
    >
      <span className="tile-head">
        <span className="tile-name">{s.name}</span>
        <span className="tile-status" style={{ color: look.colour }}>
          {look.word}
        </span>
      </span>
      <span className="tile-reason" data-testid="tile-reason">
        {reasonText(s, emotion)}
      </span>
      <span className="tile-foot">
        <span className="tile-elapsed" ref={elapsed} data-testid="tile-elapsed" />
        <Sparkline store={store} id={id} />
      </span>
    </button>
  );
});
