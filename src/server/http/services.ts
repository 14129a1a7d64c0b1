import { AuthService } from '../modules/auth/auth.service.js';
import { ConfigService } from '../modules/config/config.service.js';
import { ApplicationQueries } from '../modules/tickets/applications.query.js';
import { ApplicationService } from '../modules/tickets/applications.service.js';
import type { ServiceDeps } from '../modules/tickets/ticket-workflow.js';
import { TicketQueries } from '../modules/tickets/tickets.query.js';
import { TicketService } from '../modules/tickets/tickets.service.js';

/** Every service, built once per app from the same dependencies. */
export interface Services {
  deps: ServiceDeps;
  auth: AuthService;
  config: ConfigService;
  tickets: TicketService;
  queries: TicketQueries;
  applications: ApplicationService;
  applicationQueries: ApplicationQueries;
}

export function buildServices(deps: ServiceDeps, opts: { sessionTtlHours: number }): Services {
  const tickets = new TicketService(deps);
  return {
    deps,
    auth: new AuthService(deps.db, deps.clock, opts.sessionTtlHours),
    config: new ConfigService(deps.db, deps.clock),
    tickets,
    queries: new TicketQueries(deps, tickets),
    applications: new ApplicationService(deps),
    applicationQueries: new ApplicationQueries(deps),
  };
}
