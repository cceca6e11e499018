/**
 * The cast of the demo: the sales agents and the parts customer names are made from. Plain data so
 * the seeder and the live sales floor draw from the same people.
 */

export interface DemoAgent {
  name: string;
  team: string;
  /** Relative share of the orders this agent takes: agents are not equally busy. */
  productivity: number;
  /** Multiplies the order size: enterprise accounts buy more per order, but less often. */
  ticketSize: number;
}

export const demoAgents: readonly DemoAgent[] = [
  { name: 'Maria Alvarez', team: 'North', productivity: 1.45, ticketSize: 0.95 },
  { name: 'James Okafor', team: 'North', productivity: 1.15, ticketSize: 0.9 },
  { name: 'Priya Raman', team: 'North', productivity: 1.3, ticketSize: 1 },
  { name: 'Tom Becker', team: 'North', productivity: 0.7, ticketSize: 0.85 },
  { name: 'Sofia Lindqvist', team: 'North', productivity: 1, ticketSize: 0.9 },
  { name: 'Daniel Kim', team: 'South', productivity: 1.6, ticketSize: 0.85 },
  { name: 'Aisha Mensah', team: 'South', productivity: 1.2, ticketSize: 0.95 },
  { name: 'Lucas Moreau', team: 'South', productivity: 0.85, ticketSize: 0.9 },
  { name: 'Hannah Schultz', team: 'South', productivity: 0.55, ticketSize: 1 },
  { name: 'Rafael Costa', team: 'Enterprise', productivity: 0.5, ticketSize: 2 },
  { name: 'Emily Carter', team: 'Enterprise', productivity: 0.45, ticketSize: 2.3 },
  { name: 'Kenji Watanabe', team: 'Enterprise', productivity: 0.35, ticketSize: 2.6 },
];

/** Multiplier for agents that are not in the list above (for example added from the sqlite3 shell). */
export const defaultAgent: Pick<DemoAgent, 'productivity' | 'ticketSize'> = {
  productivity: 1,
  ticketSize: 1,
};

/** First half of a customer name: family names, places and brand-like words. */
export const customerPrefixes: readonly string[] = [
  'Harbor',
  'Nguyen',
  'Blue Ridge',
  'Summit',
  'Patel',
  'Oakwood',
  'Riverside',
  'Kowalski',
  'Northwind',
  'Evergreen',
  'Garcia',
  'Silver Lake',
  'Brightside',
  "O'Brien",
  'Redwood',
  'Cedar Point',
  'Tanaka',
  'Lakeshore',
  'Ironbridge',
  'Meadowbrook',
  'Haddad',
  'Granite',
  'Sunrise',
  'Fischer',
  'Westfield',
  'Copper Creek',
  'Okonkwo',
  'Maple Street',
  'Bayview',
  'Larsen',
  'Pinecrest',
  'Alder',
  'Rossi',
  'Hillcrest',
  'Starling',
  'Dubois',
  'Foxglove',
  'Clearwater',
  'Mendes',
  'Highland',
];

/** Second half of a customer name: the kind of business. */
export const customerSuffixes: readonly string[] = [
  'Logistics',
  'Bakery',
  'Dental',
  'Outfitters',
  'Hardware',
  'Coffee Roasters',
  'Design Studio',
  'Veterinary Clinic',
  'Builders',
  'Florist',
  'Auto Repair',
  'Brewing Co.',
  'Pharmacy',
  'Books',
  'Fitness',
  'Law Group',
  'Print Shop',
  'Catering',
  'Electric',
  'Plumbing',
  'Consulting',
  'Media',
  'Farms',
  'Bistro',
  'Optometry',
  'Travel',
  'Cycles',
  'Landscaping',
  'Market',
  'Labs',
];
