import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { ApiClient } from './api/client';
import type { User } from './api/types';

interface Session {
  token: string;
  user: User;
}

interface SessionContextValue {
  user: User | null;
  api: ApiClient;
  signIn: (username: string, password: string) => Promise<User>;
  signOut: () => Promise<void>;
}

const STORAGE_KEY = 'duban.session';

function loadSession(): Session | null {
  try {
    const text = localStorage.getItem(STORAGE_KEY);
    return text ? (JSON.parse(text) as Session) : null;
  } catch {
    return null;
  }
}

const SessionContext = createContext<SessionContextValue | null>(null);

/** Keeps the bearer token in localStorage so a reload stays signed in; a 401 signs out. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(loadSession);

  const forget = useCallback(() => {
    localStorage.removeItem(STORAGE_KEY);
    setSession(null);
  }, []);

  const api = useMemo(
    () =>
      new ApiClient({
        getToken: () => loadSession()?.token ?? null,
        onUnauthorized: forget,
      }),
    [forget],
  );

  const signIn = useCallback(
    async (username: string, password: string) => {
      const result = await api.login(username, password);
      const next = { token: result.accessToken, user: result.user };
      localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
      setSession(next);
      return result.user;
    },
    [api],
  );

  const signOut = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      // Signing out locally is what matters; the token expires on its own.
    }
    forget();
  }, [api, forget]);

  const value = useMemo(
    () => ({ user: session?.user ?? null, api, signIn, signOut }),
    [session, api, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in user; only used under routes that require one. */
export function useUser(): User {
  const { user } = useSession();
  if (!user) throw new Error('not signed in');
  return user;
}
