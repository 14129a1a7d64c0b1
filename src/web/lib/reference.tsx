import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api } from '../api/endpoints';
import type { Category, Region, Unit } from '../api/types';
import { errorMessage } from '../api/client';

// Reference data every screen names things with: categories, regions and units, loaded once per session.
export interface Reference {
  categories: Category[];
  regions: Region[];
  units: Unit[];
  categoryName: (id: number | null | undefined) => string;
  categoryPath: (id: number | null | undefined) => string;
  regionName: (code: string | null | undefined) => string;
  regionPath: (code: string | null | undefined) => string;
  unitName: (id: number | null | undefined) => string;
  /** Id path from the top category to this one, for a Cascader value. */
  categoryIdPath: (id: number) => number[];
  regionCodePath: (code: string) => string[];
}

interface State {
  ref: Reference | null;
  error: string | null;
  reload: () => void;
}
const Ctx = createContext<State | null>(null);

function build(categories: Category[], regions: Region[], units: Unit[]): Reference {
  const cat = new Map(categories.map((c) => [c.id, c]));
  const reg = new Map(regions.map((r) => [r.code, r]));
  const uni = new Map(units.map((u) => [u.id, u]));
  const categoryIdPath = (id: number) => {
    const path: number[] = [];
    for (let c = cat.get(id); c; c = c.parent_id ? cat.get(c.parent_id) : undefined) path.unshift(c.id);
    return path;
  };
  const regionCodePath = (code: string) => {
    const path: string[] = [];
    for (let r = reg.get(code); r; r = r.parent_code ? reg.get(r.parent_code) : undefined) path.unshift(r.code);
    return path;
  };
  return {
    categories,
    regions,
    units,
    categoryName: (id) => (id ? (cat.get(id)?.name ?? `分类 ${id}`) : '—'),
    categoryPath: (id) =>
      id
        ? categoryIdPath(id)
            .map((x) => cat.get(x)!.name)
            .join(' / ') || `分类 ${id}`
        : '—',
    regionName: (code) => (code ? (reg.get(code)?.name ?? code) : '—'),
    regionPath: (code) =>
      code
        ? regionCodePath(code)
            .map((x) => reg.get(x)!.name)
            .join(' / ') || code
        : '—',
    unitName: (id) => (id ? (uni.get(id)?.name ?? `单位 ${id}`) : '—'),
    categoryIdPath,
    regionCodePath,
  };
}

export function ReferenceProvider({ children }: { children: ReactNode }) {
  const [ref, setRef] = useState<Reference | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    setError(null);
    Promise.all([api.reference.categories(), api.reference.regions(), api.reference.units()]).then(
      ([c, r, u]) => setRef(build(c, r, u)),
      (e) => setError(errorMessage(e)),
    );
  }, []);
  useEffect(load, [load]);
  const value = useMemo(() => ({ ref, error, reload: load }), [ref, error, load]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useReferenceState(): State {
  const s = useContext(Ctx);
  if (!s) throw new Error('useReference outside ReferenceProvider');
  return s;
}

/** Reference data; screens under the shell render only once it has loaded. */
export function useReference(): Reference {
  const { ref } = useReferenceState();
  if (!ref) throw new Error('reference data not loaded');
  return ref;
}
