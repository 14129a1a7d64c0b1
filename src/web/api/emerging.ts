// 第二十八条(三)(四) 新兴诉求词 and 新兴诉求提醒: the web's calls (the answers' types are the shared contract's, not
// restated here).
import type { EmergingRemindersView, EmergingTermsView, EmergingTicketsView } from '../../shared/contracts/emerging';
import { http } from './client';

export const emergingApi = {
  terms: (q: { region?: string; week?: string }) => http.get<EmergingTermsView>('/api/emerging-terms', q),
  tickets: (q: { term: string; region?: string; week?: string }) =>
    http.get<EmergingTicketsView>('/api/emerging-terms/tickets', q),
  reminders: (q: { unitId?: number; unread?: boolean; before?: number } = {}) =>
    http.get<EmergingRemindersView>('/api/emerging-terms/reminders', {
      unitId: q.unitId,
      unread: q.unread ? 'true' : undefined,
      before: q.before,
    }),
  acknowledge: (id: number) =>
    http.post<{ id: number; already: boolean }>(`/api/emerging-terms/reminders/${id}/acknowledge`),
};
