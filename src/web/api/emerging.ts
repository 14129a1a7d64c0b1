// 第二十八条(三)(四) 新兴诉求词: the web's calls (the answers' types are the shared contract's, not restated here).
import type { EmergingTermsView, EmergingTicketsView } from '../../shared/contracts/emerging';
import { http } from './client';

export const emergingApi = {
  terms: (q: { region?: string; week?: string }) => http.get<EmergingTermsView>('/api/emerging-terms', q),
  tickets: (q: { term: string; region?: string; week?: string }) =>
    http.get<EmergingTicketsView>('/api/emerging-terms/tickets', q),
};
