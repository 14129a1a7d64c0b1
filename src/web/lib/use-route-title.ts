import { useEffect } from 'react';
import { useLocation } from 'react-router-dom';
import { documentTitle } from './route-titles';

/**
 * Keeps document.title on the current route's own title (WCAG 2.1 2.4.2); used by the layouts and the login page.
 * `fallback` names a screen the title table does not know yet (the staff layout passes the menu's label).
 */
export function useRouteTitle(fallback?: string): void {
  const { pathname } = useLocation();
  useEffect(() => {
    document.title = documentTitle(pathname, fallback);
  }, [pathname, fallback]);
}
