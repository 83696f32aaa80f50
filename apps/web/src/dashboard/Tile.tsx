/**
 * One student's tile: name (whole on hover or focus), status word and how long, the reason, and the
 * confusion sparkline, each labelled. Re-renders only for its student (and its shown name).
 */
import { memo } from 'react';
import type { EmotionSetting, SessionMode } from '@smartsession/protocol';
import type { DashboardStore } from './store.js';
import { useElapsedRef, useStudent, useTopic } from './hooks.js';
import { Sparkline } from './Sparkline.js';
import { statusTone, statusWord } from '../shared/status.js';
import { tileReason } from '../shared/reason.js';
import { useI18n } from '../i18n/i18n.js';
import { matchesFilter, matchesSearch, type GridFilter } from './needs.js';

interface TileProps {
  store: DashboardStore;
  id: string;
  emotion: EmotionSetting;
  mode: SessionMode;
  filter: GridFilter;
  query: string;
  selected: boolean;
  onOpen(id: string, el: HTMLElement): void;
}

/** A student tile (`data-testid="student-tile"` with `data-name`, `data-status`, `data-alert`, `data-lost`). */
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
  const { t } = useI18n();
  const s = useStudent(store, id);
  const label = useTopic(store, 'order', (st) => st.label(id));
  const elapsed = useElapsedRef<HTMLSpanElement>(s?.statusSince ?? 0, store.now);
  if (!s) return null;
  const tone = statusTone(s.status, mode);
  const lost = s.lostSince !== null && s.status !== 'offline';
  const prominent = s.status === 'alert' && mode === 'exam';
  const reason = tileReason(t, s, emotion);
  const shown = matchesFilter(s, filter) && matchesSearch(label, query);
  return (
    <button
      type="button"
      className={`tile tone-${tone}${prominent ? ' prominent' : ''}${lost ? ' lost' : ''}${selected ? ' selected' : ''}`}
      hidden={!shown}
      data-testid="student-tile"
      data-name={s.name}
      data-label={label}
      data-status={s.status}
      data-alert={s.status === 'alert' ? (s.alert ?? undefined) : undefined}
      data-lost={lost ? 'true' : undefined}
      data-analysis={s.analysis}
      aria-pressed={selected}
      onClick={(e) => onOpen(id, e.currentTarget)}
      title={label}
    >
      <span className="tile-name" data-testid="tile-name">
        {label}
      </span>
      <span className="tile-status">
        <span className="tile-word">{statusWord(t, s.status, mode)}</span>{' '}
        <span className="tile-for">
          {t('tile.for')} <span ref={elapsed} data-testid="tile-elapsed" />
        </span>
      </span>
      {s.analysis === 'server' && (
        <span className="tile-place muted small-text" data-testid="tile-analysis">
          {t('analysis.place.server')}
        </span>
      )}
      <span className="tile-reason" data-testid="tile-reason">
        {lost && (
          <span className="tile-lost" data-testid="tile-lost">
            {t('tile.lost')}
          </span>
        )}
        {reason}
      </span>
      <span className="tile-foot">
        <span className="tile-foot-label" title={t('tile.sparklineTitle')}>
          {t('tile.sparkline')}
        </span>
        <Sparkline store={store} id={id} />
      </span>
    </button>
  );
});
