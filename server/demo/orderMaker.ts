import { customerPrefixes, customerSuffixes, defaultAgent, demoAgents } from './names.js';
import type { Random } from './random.js';

/** An agent row as stored in the demo database. */
export interface AgentRow {
  id: number;
  name: string;
  team: string;
}

/** The parts of an order that do not depend on time: who sold what to whom for how much. */
export interface OrderDraft {
  agentId: number;
  customerName: string;
  total: number;
}

/** Median order total before the agent's ticket-size multiplier; with the mix of agents the
 * overall median lands near 120. */
const baseMedianTotal = 118;
/** Spread of the log-normal: a long right tail with a few orders above 1,000 per day. */
const totalSigma = 0.8;
const minimumTotal = 3;

/**
 * Draws orders the same way for the history seeder and the live sales floor, so a reopened demo
 * looks like its own past. The agents come from the database (the shell may have added some) and
 * keep their productivity from names.ts when they are known there.
 */
export class OrderMaker {
  private readonly agents: readonly AgentRow[];
  private readonly weights: readonly number[];
  private readonly ticketSizes: ReadonlyMap<number, number>;

  constructor(agents: readonly AgentRow[]) {
    if (agents.length === 0) throw new Error('the demo database has no agents');
    this.agents = agents;
    const known = new Map(demoAgents.map((agent) => [agent.name, agent]));
    this.weights = agents.map((row) => (known.get(row.name) ?? defaultAgent).productivity);
    this.ticketSizes = new Map(
      agents.map((row) => [row.id, (known.get(row.name) ?? defaultAgent).ticketSize]),
    );
  }

  make(rng: Random): OrderDraft {
    const agent = rng.weighted(this.agents, this.weights);
    const customerName = `${rng.pick(customerPrefixes)} ${rng.pick(customerSuffixes)}`;
    const median = baseMedianTotal * (this.ticketSizes.get(agent.id) ?? 1);
    const total = Math.max(minimumTotal, roundCents(rng.logNormal(median, totalSigma)));
    return { agentId: agent.id, customerName, total };
  }
}

export function roundCents(value: number): number {
  return Math.round(value * 100) / 100;
}
