// The codes of the domain that the database stores, the server checks and the web labels (DESIGN.md glossary):
// one definition each, so a new code cannot reach one side only.

export type { TicketStatus } from '../domain/transitions.js';
export type RequestType = 'consult' | 'help' | 'complaint' | 'report' | 'suggestion' | 'praise';
export type Urgency = 'normal' | 'urgent';
export type UnitKind = 'centre' | 'department' | 'town' | 'utility' | 'other';
export type Tier = 'city' | 'county' | 'town';
export type Satisfaction = 'satisfied' | 'basically_satisfied' | 'unsatisfied';
export type ApplicationKind = 'return' | 'extension' | 'termination' | 'dispute';
/** 第十六条: why a unit may end handling without a result */
export type TerminationCase = 'refused_information' | 'unreasonable_request';
/** 第十二条: a catalogue rule's ground — statutory duty, territory or tier */
export type Basis = 'statutory' | 'territorial' | 'tiered';
export type LimitStep =
  | 'accept'
  | 'return_window'
  | 'first_contact'
  | 'reply'
  | 'extension_max'
  | 'callback'
  | 'rework'
  | 'assist'
  // 二级派单: what the first-level unit keeps for its review when it passes a ticket down (0041)
  | 'sub_review';
export type LimitUnit = 'working_days' | 'working_hours' | 'clock_hours';
/** a limit counted on the working calendar, or round the clock (24-hour units) */
export type LimitClock = 'calendar' | 'round_the_clock';
