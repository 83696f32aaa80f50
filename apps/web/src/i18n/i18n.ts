/**
 * Internationalisation: ICU messages (intl-messageformat), the reader's language picked from the browser
 * (`navigator.languages`) unless they chose one with the switch (kept in localStorage), and Intl formats
 * for times, dates, numbers and durations. The current locale is module state (one app per page) so code
 * outside React (the once-a-second clock labels) formats in it too; React re-renders through
 * {@link useI18n}.
 */
import { useSyncExternalStore } from 'react';
import { IntlMessageFormat } from 'intl-messageformat';
import { en, type MessageKey } from './messages.en.js';
import { es } from './messages.es.js';

/** Languages the pages are written in. */
export const LOCALES = ['en', 'es'] as const;
/** A supported language. */
export type Locale = (typeof LOCALES)[number];
/** Each language's own name, for the switch. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', es: 'Español' };

const CATALOGS: Record<Locale, Record<MessageKey, string>> = { en, es };
const STORAGE_KEY = 'smartsession.locale';

/** Values of a message's placeholders. */
export type MessageValues = Record<string, string | number | Date | null | undefined>;

/** The supported language that best matches a list of BCP 47 tags (browser order), English otherwise. */
export function pickLocale(tags: readonly string[]): Locale {
  for (const tag of tags) {
    const base = tag.toLowerCase().split(/[-_]/)[0];
    const hit = LOCALES.find((l) => l === base);
    if (hit) return hit;
  }
  return 'en';
}

function initialLocale(): Locale {
  if (typeof window === 'undefined') return 'en';
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (saved && (LOCALES as readonly string[]).includes(saved)) return saved as Locale;
  } catch {
    // Storage refused (private mode): the browser's languages decide.
  }
  return pickLocale(navigator.languages ?? [navigator.language]);
}

let current: Locale = initialLocale();
const listeners = new Set<() => void>();
const formatters = new Map<string, IntlMessageFormat>();

function applyDocumentLanguage(): void {
  if (typeof document !== 'undefined') document.documentElement.lang = current;
}
applyDocumentLanguage();

/** The current language. */
function getLocale(): Locale {
  return current;
}

/** Switches the language (remembered on this device) and re-renders every page part that reads it. */
export function setLocale(locale: Locale): void {
  if (locale === current) return;
  current = locale;
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembered; still switched for this page.
  }
  applyDocumentLanguage();
  for (const fn of listeners) fn();
}

/** Calls `fn` when the language changes; returns the unsubscribe function. */
export function onLocaleChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** A message in `locale` with its placeholders filled (ICU: plurals, selects, numbers, dates). */
export function translate(key: MessageKey, values?: MessageValues, locale: Locale = current): string {
  const id = `${locale}\u0000${key}`;
  let f = formatters.get(id);
  if (!f) {
    f = new IntlMessageFormat(CATALOGS[locale][key], locale);
    formatters.set(id, f);
  }
  return String(f.format(values as Record<string, string | number | Date>));
}

/** A translator bound to one language. */
export type Translate = (key: MessageKey, values?: MessageValues) => string;

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: Locale, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  const id = locale + JSON.stringify(opts);
  let f = numberFormats.get(id);
  if (!f) numberFormats.set(id, (f = new Intl.NumberFormat(locale, opts)));
  return f;
}
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: Locale, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const id = locale + JSON.stringify(opts);
  let f = dateFormats.get(id);
  if (!f) dateFormats.set(id, (f = new Intl.DateTimeFormat(locale, opts)));
  return f;
}

/**
 * A duration in the reader's language, coarse enough to read at a glance: "45 sec", "2 min 5 sec",
 * "1 hr 5 min" (en); "45 s", "2 min 5 s" (es). Units from Intl.NumberFormat, joined with Intl.ListFormat.
 * @param ms duration in milliseconds (negative counts as 0)
 */
export function formatDuration(ms: number, locale: Locale = current): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const unit = (n: number, u: 'second' | 'minute' | 'hour') =>
    numberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'short' }).format(n);
  if (s < 60) return unit(s, 'second');
  const m = Math.floor(s / 60);
  const list = new Intl.ListFormat(locale, { style: 'narrow', type: 'unit' });
  if (m < 60)
    return s % 60 === 0 ? unit(m, 'minute') : list.format([unit(m, 'minute'), unit(s % 60, 'second')]);
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? unit(h, 'hour') : list.format([unit(h, 'hour'), unit(m % 60, 'minute')]);
}

/** Wall-clock time with seconds ("2:05:09 PM", "14:05:09") of a ms instant, in the browser's time zone. */
export function formatClock(t: number, locale: Locale = current): string {
  return dateFormat(locale, { hour: 'numeric', minute: '2-digit', second: '2-digit' }).format(t);
}

/** Wall-clock time without seconds ("2:05 PM", "14:05"), for chart axes. */
export function formatShortTime(t: number, locale: Locale = current): string {
  return dateFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(t);
}

/** Date and time ("Mar 3, 2027, 2:05 PM"), for lists and reports. */
export function formatDateTime(t: number, locale: Locale = current): string {
  return dateFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(t);
}

/** A 0..1 fraction as a percentage ("35%", "35 %"). */
export function formatPercent(x: number, locale: Locale = current): string {
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(x);
}

/** A number with at most `digits` decimals ("0.64", "0,64"). */
export function formatNumber(x: number, digits = 2, locale: Locale = current): string {
  return numberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
}

/** What React components get from {@link useI18n}. */
export interface I18n {
  locale: Locale;
  t: Translate;
}

const bound = new Map<Locale, I18n>();
function i18nFor(locale: Locale): I18n {
  let v = bound.get(locale);
  if (!v) bound.set(locale, (v = { locale, t: (key, values) => translate(key, values, locale) }));
  return v;
}

/** The current language and its translator; re-renders the component when the language changes. */
export function useI18n(): I18n {
  const locale = useSyncExternalStore(onLocaleChange, getLocale, () => 'en' as Locale);
  return i18nFor(locale);
}

export type { MessageKey };
