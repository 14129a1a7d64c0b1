// first: configures Zod before any module builds a schema (see the file)
import './lib/zod-jitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { App } from './App';
import './styles.css';
import { dropMisplacedAriaRequired } from './lib/aria-required';

// Validation messages from the shared contracts that have no message of their own come out in Chinese too.
z.config(z.locales.zhCN());
dayjs.locale('zh-cn');
// 无障碍: aria-required only where ARIA allows it (see the file)
dropMisplacedAriaRequired();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
