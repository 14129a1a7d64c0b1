import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { setRestrictedHandler, setUnauthenticatedHandler } from '../api/client';
import { account, isTotpChallenge, type TotpChallenge } from '../api/account';
import { api } from '../api/endpoints';
import type { Me } from '../api/types';

// The signed-in user. The session itself is an httpOnly cookie the page cannot read, so a small hint in
// localStorage says whether asking /api/auth/me is worth it (no pointless 401 on a first visit).
const HINT = 'hz12345.signedIn';

interface Session {
  me: Me | null;
  checking: boolean;
  /** the signed-in user, or the second step's challenge when the account has a second factor (等保 2.0) */
  login: (username: string, password: string) => Promise<Me | TotpChallenge>;
  loginTotp: (challenge: string, code: string) => Promise<Me>;
  /** the user as the server answered after a change of their own (password, second factor) */
  update: (me: Me) => void;
  logout: () => Promise<void>;
  expired: boolean;
}

const Ctx = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(() => localStorage.getItem(HINT) === '1');
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    // the server says this session must first change its password or enrol a second factor: ask who we are again,
    // the app then shows that screen instead of the one that was refused
    setRestrictedHandler(() => {
      api.auth.me().then(setMe, () => undefined);
    });
    setUnauthenticatedHandler(() => {
      localStorage.removeItem(HINT);
      setMe((prev) => {
        if (prev) setExpired(true);
        return null;
      });
    });
    if (localStorage.getItem(HINT) === '1') {
      api.auth
        .me()
        .then(setMe, () => localStorage.removeItem(HINT))
        .finally(() => setChecking(false));
    }
    return () => {
      setUnauthenticatedHandler(null);
      setRestrictedHandler(null);
    };
  }, []);

  const signedIn = useCallback((m: Me) => {
    localStorage.setItem(HINT, '1');
    setExpired(false);
    setMe(m);
    return m;
  }, []);
  const login = useCallback(
    async (username: string, password: string) => {
      const r = await account.login(username, password);
      return isTotpChallenge(r) ? r : signedIn(r);
    },
    [signedIn],
  );
  const loginTotp = useCallback(
    async (challenge: string, code: string) => signedIn(await account.loginTotp(challenge, code)),
    [signedIn],
  );

  const logout = useCallback(async () => {
    try {
      await api.auth.logout();
    } finally {
      localStorage.removeItem(HINT);
      setMe(null);
    }
  }, []);

  const value = useMemo(
    () => ({ me, checking, login, loginTotp, update: setMe, logout, expired }),
    [me, checking, login, loginTotp, logout, expired],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): Session {
  const s = useContext(Ctx);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** The signed-in user inside the app shell (routes below it only render when signed in). */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe without a signed-in user');
  return me;
}
