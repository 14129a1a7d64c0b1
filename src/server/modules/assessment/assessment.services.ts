import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import { AssessmentAppealService } from './assessment-appeals.service.js';
import { AssessmentResultService } from './assessment-results.service.js';
import { AssessmentSchemeService } from './assessment-schemes.service.js';
import { ServiceFiguresService } from './service-figures.service.js';

/** 第二十四条: the assessment module's services, built once per app. */
export interface AssessmentServices {
  schemes: AssessmentSchemeService;
  results: AssessmentResultService;
  appeals: AssessmentAppealService;
  serviceFigures: ServiceFiguresService;
}

export function buildAssessment(deps: { db: Kysely<DB>; clock: Clock }): AssessmentServices {
  return {
    schemes: new AssessmentSchemeService(deps),
    results: new AssessmentResultService(deps),
    appeals: new AssessmentAppealService(deps),
    serviceFigures: new ServiceFiguresService(deps),
  };
}
