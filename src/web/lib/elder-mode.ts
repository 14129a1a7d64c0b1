import { useCallback, useEffect, useState } from 'react';
import type { ThemeConfig } from 'antd';

// 适老化 (工业和信息化部《互联网网站适老化通用设计规范》, GB/T 37668-2019): the portal's 长辈版 — larger text (18 px at the
// browser's default size, and larger still when the citizen has set a larger browser font) and targets of at least
// 44 × 44 px. The choice is kept on the device (localStorage), nothing is sent to the server.

const KEY = 'hz12345.portal.elder';

function stored(): boolean {
  try {
    return window.localStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

/** The browser's own base font size in px (16 unless the citizen has changed it), so the portal's text follows it. */
export function rootFontPx(): number {
  const px = parseFloat(getComputedStyle(document.documentElement).fontSize);
  return Number.isFinite(px) && px > 0 ? px : 16;
}

export function useElderMode(): [boolean, (on: boolean) => void] {
  const [elder, setElder] = useState(stored);
  const set = useCallback((on: boolean) => {
    setElder(on);
    try {
      window.localStorage.setItem(KEY, on ? '1' : '0');
    } catch {
      // private browsing: the choice lasts for this page only
    }
  }, []);
  useEffect(() => {
    document.documentElement.classList.toggle('portal-elder-root', elder);
    return () => document.documentElement.classList.remove('portal-elder-root');
  }, [elder]);
  return [elder, set];
}

/**
 * The portal's antd tokens: text 1 rem (16 px by default) in the standard version, 1.125 rem (18 px) in 长辈版, and
 * controls at least 40 / 44 px high. antd's tokens are pixels, so they are computed from the root font size.
 */
export function portalTokens(elder: boolean, root = rootFontPx()): ThemeConfig['token'] {
  const fontSize = Math.round(root * (elder ? 1.125 : 1));
  if (!elder) return { fontSize, controlHeight: Math.max(40, Math.round(root * 2.5)) };
  const control = Math.max(48, Math.round(root * 3));
  return {
    fontSize,
    controlHeight: control,
    controlHeightSM: Math.max(44, Math.round(control * 0.9)),
    controlHeightLG: Math.max(56, Math.round(control * 1.2)),
  };
}
