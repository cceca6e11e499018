/**
 * Type tests that tie every zod schema to the TypeScript type it validates, exactly (a field added
 * on one side only fails), and pin the shared vocabulary: connection phases, view types, profiles.
 * Checked by `tsc -b` (the test/ project); never run.
 */
import type { z } from 'zod';
import { CONNECTION_PHASES, type ConnectionPhase } from '../../common/connectionPhase.js';
import type {
  ConnectionReport,
  DesktopProfile,
  NotificationPrefsPatch,
  ReportedPhase,
} from '../../common/ipc.js';
import type { ClientsRequest } from '../../common/clients.js';
import type { Profile } from '../../common/profile.js';
import type {
  SubscribeRequest,
  UnsubscribeRequest,
  VerifyRequest,
  ViewSpec,
  ViewType,
} from '../../common/protocol.js';
import {
  clientsRequestSchema,
  subscribeRequestSchema,
  unsubscribeRequestSchema,
  verifyRequestSchema,
  viewSpecSchema,
} from '../../common/schemas.js';
import { serverProbeSchema, type ServerProbe } from '../../common/serverProbe.js';
import {
  connectionReportSchema,
  notificationPrefsPatchSchema,
  profileSchema,
} from '../../main/ipc/argSchemas.js';
import type { Profile as RendererProfile } from '../../renderer/bridge/DesktopBridge.js';
import type { PHASE_DISPLAY } from '../../renderer/components/connect/phaseDisplay.js';
import type { ConnectionPhase as RendererPhase } from '../../renderer/live/state.js';
import type { sectionSchema } from '../../server/config/configSchema.js';
import type { Equal, Expect, SameShape } from './typeAssert.js';

type Out<S extends z.ZodType> = z.output<S>;

export type SchemasMatchTheirTypes = [
  Expect<SameShape<Out<typeof subscribeRequestSchema>, SubscribeRequest>>,
  Expect<SameShape<Out<typeof unsubscribeRequestSchema>, UnsubscribeRequest>>,
  Expect<SameShape<Out<typeof verifyRequestSchema>, VerifyRequest>>,
  Expect<SameShape<Out<typeof clientsRequestSchema>, ClientsRequest>>,
  Expect<SameShape<Out<typeof viewSpecSchema>, ViewSpec>>,
  Expect<SameShape<Out<typeof sectionSchema>['view'], ViewSpec>>,
  Expect<SameShape<Out<typeof serverProbeSchema>, ServerProbe>>,
  Expect<SameShape<Out<typeof profileSchema>, Profile>>,
  Expect<SameShape<Out<typeof connectionReportSchema>, ConnectionReport>>,
  Expect<SameShape<Out<typeof notificationPrefsPatchSchema>, NotificationPrefsPatch>>,
];

export type SameShapeTellsFieldsApart = [
  // @ts-expect-error a type with one more optional field is not the same shape
  Expect<SameShape<{ a: string }, { a: string; b?: string }>>,
];

// --- Connection phases: one union for the renderer, the IPC report and its schema -------------

export type OnePhaseVocabulary = [
  Expect<Equal<ConnectionPhase, (typeof CONNECTION_PHASES)[number]>>,
  Expect<Equal<RendererPhase, ConnectionPhase>>,
  Expect<Equal<ReportedPhase, ConnectionPhase>>,
  Expect<Equal<Out<typeof connectionReportSchema>['phase'], ConnectionPhase>>,
  // The console words every phase, once.
  Expect<Equal<keyof typeof PHASE_DISPLAY, ConnectionPhase>>,
];

/** The vocabulary itself: adding, removing or renaming a phase fails here. */
export type PinnedPhases = Expect<
  Equal<
    ConnectionPhase,
    'idle' | 'connecting' | 'connected' | 'reconnecting' | 'unreachable' | 'unauthorized'
  >
>;

// @ts-expect-error 'offline' is not a connection phase
export const offline: ConnectionPhase = 'offline';

export const report: ConnectionReport = {
  // @ts-expect-error the report carries a phase of the union, not the header's words
  phase: 'Token refused',
  unhealthySections: [],
};

// --- View types and profiles ----------------------------------------------------------------

export type OneViewType = [
  Expect<Equal<Out<typeof viewSpecSchema>['type'], ViewType>>,
  Expect<Equal<Out<typeof sectionSchema>['view']['type'], ViewType>>,
];

// @ts-expect-error 'pie' is not a view type
export const pie: ViewType = 'pie';

export type OneProfile = [
  Expect<Equal<DesktopProfile, Profile>>,
  Expect<Equal<RendererProfile, Profile>>,
];
