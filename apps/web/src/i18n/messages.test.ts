import { describe, expect, it } from 'vitest';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { en, type MessageKey } from './messages.en.js';
import { es } from './messages.es.js';
import { formatDuration, pickLocale, translate } from './i18n.js';

/** Placeholder names of an ICU message (arguments, plurals, selects), nested ones included. */
function placeholders(elements: MessageFormatElement[], out = new Set<string>()): Set<string> {
  for (const e of elements) {
    if (e.type === TYPE.argument || e.type === TYPE.number || e.type === TYPE.date || e.type === TYPE.time)
      out.add(e.value);
    if (e.type === TYPE.plural || e.type === TYPE.select) {
      out.add(e.value);
      for (const o of Object.values(e.options)) placeholders(o.value, out);
    }
  }
  return out;
}

describe('[issue 11] messages', () => {
  const keys = Object.keys(en) as MessageKey[];
  it('Spanish has every English message, each a valid ICU message with the same placeholders', () => {
    expect(Object.keys(es).sort()).toEqual([...keys].sort());
    for (const k of keys) {
      const a = [...placeholders(parse(en[k]))].sort();
      const b = [...placeholders(parse(es[k]))].sort();
      expect(b, k).toEqual(a);
      expect(es[k].trim(), k).not.toBe('');
    }
  });

  it('renders reasons from codes with plurals, in both languages', () => {
    const v = { seconds: 6, count: 2, time: 'yes' };
    expect(translate('reason.LOOKING_AWAY', v, 'en')).toBe('Looking away for 6 seconds');
    expect(translate('reason.LOOKING_AWAY', { ...v, seconds: 1 }, 'en')).toBe('Looking away for 1 second');
    expect(translate('reason.LOOKING_AWAY', { ...v, time: 'no' }, 'en')).toBe('Looking away');
    expect(translate('reason.PEOPLE_IN_VIEW', v, 'es')).toBe('2 personas a la vista');
  });

  it('picks the language from the browser, English otherwise', () => {
    expect(pickLocale(['es-MX', 'en'])).toBe('es');
    expect(pickLocale(['de-DE', 'en-GB'])).toBe('en');
    expect(pickLocale(['fr'])).toBe('en');
  });

  it('formats durations with Intl units', () => {
    expect(formatDuration(45_000, 'en')).toBe('45 sec');
    expect(formatDuration(125_000, 'en')).toBe('2 min 5 sec');
    expect(formatDuration(3_900_000, 'es')).toMatch(/^1 h.*5 min$/);
  });
});
