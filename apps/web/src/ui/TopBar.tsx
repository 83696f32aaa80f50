/** The bar at the top of every page: the product name (home link), optional page actions, the language switch. */
import type { ReactNode } from 'react';
import { LOCALES, LOCALE_NAMES, setLocale, useI18n, type Locale } from '../i18n/i18n.js';
import { navigate } from '../router.js';

/** The language switch (`data-testid="language-switch"`): a labelled select, each language in its own name. */
function LanguageSwitch() {
  const { locale, t } = useI18n();
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t('common.language')}</span>
      <select
        value={locale}
        onChange={(e) => setLocale(e.target.value as Locale)}
        data-testid="language-switch"
        aria-label={t('common.language')}
      >
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LOCALE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Page header: brand link to `/`, then `children` (page actions), then the language switch. */
export function TopBar({ children, home = '/' }: { children?: ReactNode; home?: string }) {
  return (
    <header className="topbar">
      <a
        className="brand"
        href={home}
        onClick={(e) => {
          e.preventDefault();
          navigate(home);
        }}
      >
        SmartSession
      </a>
      <div className="topbar-actions">{children}</div>
      <LanguageSwitch />
    </header>
  );
}
