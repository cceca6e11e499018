import type { Database } from 'better-sqlite3';
import { createDemoIndexes, dropDemoIndexes } from './demoSchema.js';
import { demoAgents } from './names.js';
import { OrderMaker, type AgentRow } from './orderMaker.js';
import { Random } from './random.js';

export interface SeedHistoryOptions {
  seed: string | number;
  /** The end of the history; orders are never dated after it. */
  now: Date;
  /** Calendar days (UTC) of history including today, so the 30-day chart is full from the start. */
  days?: number;
}

export interface SeedHistoryResult {
  /** Rows inserted; both 0 when the database already had orders. */
  agents: number;
  orders: number;
}

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/**
 * Relative order volume per UTC hour: quiet nights, a morning ramp, a lunch dip, an afternoon peak
 * and an evening tail. Tuned by eye so the intraday curve looks like a sales floor, not noise.
 */
const hourWeights: readonly number[] = [
  0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.45, 0.9, 1.6, 2.3, 2.7, 2.8, 2.2, 1.9, 2.6, 2.8, 2.5, 2.1, 1.5,
  1.0, 0.7, 0.5, 0.35, 0.22,
];
const hours: readonly number[] = hourWeights.map((_, hour) => hour);

/** Orders placed on a full day, before noise: weekends are quieter. */
const weekdayOrders = 560;
const weekendOrders = 320;
/** Share of closed orders that end up refunded. */
const refundRate = 0.04;

/** Orders per INSERT statement: one call into SQLite per batch instead of per row. */
const batchSize = 50;
/** Orders between two pauses when seeding in steps (a few milliseconds of work each). */
const ordersPerStep = 1000;

const orderColumns =
  'INSERT INTO orders (agent_id, customer_name, total, status, created_at) VALUES ';

/**
 * Fills an empty demo database with agents and `days` days of orders, in one transaction.
 * A database that already has orders is left alone, so reopening a demo file keeps its history.
 */
export function seedHistory(db: Database, options: SeedHistoryOptions): SeedHistoryResult {
  const steps = seedSteps(db, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same as seedHistory, in steps of about a thousand orders with `pause()` awaited between them,
 * so that a server already listening keeps answering while the history is written. Still one
 * transaction: other connections see no orders until all of them are there. The connection must
 * not be used for writes meanwhile.
 */
export async function seedHistoryInSteps(
  db: Database,
  options: SeedHistoryOptions & { pause: () => Promise<void> },
): Promise<SeedHistoryResult> {
  const steps = seedSteps(db, options);
  try {
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      await options.pause();
    }
  } finally {
    steps.return({ agents: 0, orders: 0 }); // rolls back, unless it committed or never began
  }
}

/**
 * The seeding transaction as a generator that yields between steps. Checked inside the
 * transaction (BEGIN IMMEDIATE takes the write lock first), so two processes opening the same new
 * file cannot both seed it. Abandoned or failed, it rolls back.
 */
function* seedSteps(db: Database, options: SeedHistoryOptions): Generator<void, SeedHistoryResult> {
  const { seed, now, days = 30 } = options;
  const nowMs = now.getTime();
  // Its own stream, so the history does not shift when the live floor's use of randomness changes.
  const rng = new Random(`${String(seed)}:history`);
  const hasOrders = db.prepare('SELECT EXISTS (SELECT 1 FROM orders) AS found').pluck();
  const countAgents = db.prepare('SELECT count(*) FROM agents').pluck();
  const insertAgent = db.prepare('INSERT INTO agents (name, team) VALUES (?, ?)');
  const selectAgents = db.prepare<[], AgentRow>('SELECT id, name, team FROM agents ORDER BY id');
  const insertOne = db.prepare(orderColumns + '(?, ?, ?, ?, ?)');
  const insertBatch = db.prepare(
    orderColumns + Array(batchSize).fill('(?, ?, ?, ?, ?)').join(', '),
  );

  db.exec('BEGIN IMMEDIATE');
  let committed = false;
  try {
    if (hasOrders.get() === 1) {
      db.exec('COMMIT');
      committed = true;
      return { agents: 0, orders: 0 };
    }
    let agents = 0;
    if (countAgents.get() === 0) {
      for (const agent of demoAgents) insertAgent.run(agent.name, agent.team);
      agents = demoAgents.length;
    }
    dropDemoIndexes(db);
    const maker = new OrderMaker(selectAgents.all());
    const times = orderTimes(rng, nowMs, days);
    const values: (number | string)[] = [];
    for (let i = 0; i < times.length; i += 1) {
      const createdAt = times[i] as number;
      const draft = maker.make(rng);
      const status = statusAt(rng, nowMs - createdAt);
      values.push(
        draft.agentId,
        draft.customerName,
        draft.total,
        status,
        new Date(createdAt).toISOString(),
      );
      if (values.length === batchSize * 5) {
        insertBatch.run(values);
        values.length = 0;
      }
      if ((i + 1) % ordersPerStep === 0) yield;
    }
    for (let v = 0; v < values.length; v += 5) insertOne.run(values.slice(v, v + 5));
    createDemoIndexes(db);
    db.exec('COMMIT');
    committed = true;
    return { agents, orders: times.length };
  } finally {
    if (!committed && db.inTransaction) db.exec('ROLLBACK');
  }
}

/** Creation times (epoch ms, ascending so ids follow time) of every order in the history. */
function orderTimes(rng: Random, nowMs: number, days: number): number[] {
  const today = Math.floor(nowMs / dayMs) * dayMs;
  const times: number[] = [];
  for (let d = days - 1; d >= 0; d -= 1) {
    const dayStart = today - d * dayMs;
    const weekday = new Date(dayStart).getUTCDay();
    const base = weekday === 0 || weekday === 6 ? weekendOrders : weekdayOrders;
    // A slight upward trend over the month, and day-to-day noise, so the chart is not flat.
    const trend = 0.94 + 0.08 * ((days - 1 - d) / Math.max(1, days - 1));
    const count = Math.round(clamp(rng.normal(base * trend, base * 0.08), 250, 750));
    for (let i = 0; i < count; i += 1) {
      const t = dayStart + rng.weighted(hours, hourWeights) * hourMs + rng.next() * hourMs;
      // Today's orders stop at `now`: the rest of the day has not happened yet.
      if (t <= nowMs) times.push(Math.floor(t));
    }
  }
  return times.sort((a, b) => a - b);
}

/**
 * Older orders are settled; in the last hour a share is still open, more so the newer they are, so
 * the live sales floor (which closes orders within minutes) has work as soon as it starts.
 */
function statusAt(rng: Random, ageMs: number): 'open' | 'closed' | 'refunded' {
  if (ageMs < hourMs && rng.chance(0.6 * (1 - ageMs / hourMs))) return 'open';
  return rng.chance(refundRate) ? 'refunded' : 'closed';
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
