import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import { DisclosurePublicService } from './disclosure-public.service.js';
import { DisclosureService } from './disclosure.service.js';

/** 第二十一条: the disclosure module's services, built once per app. */
export interface DisclosureServices {
  reports: DisclosureService;
  public: DisclosurePublicService;
}

export function buildDisclosure(deps: { db: Kysely<DB>; clock: Clock }): DisclosureServices {
  return { reports: new DisclosureService(deps), public: new DisclosurePublicService(deps) };
}
