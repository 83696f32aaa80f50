import './shared/zodConfig.js';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import './shared/styles.css';

const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
