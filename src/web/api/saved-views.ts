// Issue 14: saved views of a list screen, per person.
import type { ViewScreen } from '../../shared/contracts/saved-views';
import { http } from './client';

export interface SavedView {
  id: number;
  name: string;
  params: Record<string, string>;
  createdAt: string;
}

export const savedViewsApi = {
  list: (screen: ViewScreen) => http.get<{ items: SavedView[] }>('/api/saved-views', { screen }),
  save: (screen: ViewScreen, name: string, params: Record<string, string>) =>
    http.post<SavedView>('/api/saved-views', { screen, name, params }),
  remove: (id: number) => http.del<void>(`/api/saved-views/${id}`),
};
