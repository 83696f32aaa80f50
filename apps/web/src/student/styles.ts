/** Inline styles of the student page (kept together so the components stay readable). */
import type { CSSProperties } from 'react';

const button: CSSProperties = {
  font: 'inherit',
  padding: '0.5rem 1rem',
  borderRadius: 6,
  border: '1px solid #9aa0a6',
  background: '#fff',
  cursor: 'pointer',
};

export const box = {
  page: {
    maxWidth: 760,
    margin: '0 auto',
    padding: '1rem',
    fontFamily: 'system-ui, sans-serif',
    color: '#202124',
  },
  title: { fontSize: '1.5rem', margin: '0.5rem 0 1rem' },
  subtitle: { fontSize: '1.2rem', margin: '0 0 0.5rem' },
  card: {
    border: '1px solid #dadce0',
    borderRadius: 8,
    padding: '1rem',
    margin: '0 0 1rem',
    background: '#fff',
  },
  label: { display: 'flex', flexDirection: 'column', gap: '0.25rem', margin: '0 0 0.75rem' },
  input: { font: 'inherit', padding: '0.5rem', borderRadius: 6, border: '1px solid #9aa0a6' },
  list: { lineHeight: 1.5, paddingLeft: '1.2rem' },
  error: { color: '#a50e0e', background: '#fce8e6', padding: '0.5rem 0.75rem', borderRadius: 6 },
  note: { color: '#5f6368', fontSize: '0.9rem' },
  row: { display: 'flex', flexWrap: 'wrap', gap: '0.5rem', alignItems: 'center', margin: '0.5rem 0' },
  button,
  primary: { ...button, background: '#1a73e8', borderColor: '#1a73e8', color: '#fff' },
  pre: {
    fontSize: '0.8rem',
    background: '#f8f9fa',
    border: '1px solid #dadce0',
    borderRadius: 6,
    padding: '0.5rem',
    overflow: 'auto',
    maxHeight: 320,
  },
} satisfies Record<string, CSSProperties>;
