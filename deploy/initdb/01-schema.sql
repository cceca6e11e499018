-- Example schema for the docker-compose cluster: the PostgreSQL image runs this file once, when
-- its data volume is created. Replace it with your own tables; keep one notify trigger per table
-- that a section lists under `tables:` (`opsdeck check --config opsdeck.yaml` prints them).

CREATE TABLE IF NOT EXISTS orders (
  id         bigserial PRIMARY KEY,
  customer   text          NOT NULL,
  total      numeric(12,2) NOT NULL,
  status     text          NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'refunded')),
  created_at timestamptz   NOT NULL DEFAULT now()
);

-- Notify mode: every statement that changes `orders` sends NOTIFY opsdeck_changes, 'orders'.
-- (Exactly what `opsdeck check` prints for this configuration.)
CREATE OR REPLACE FUNCTION opsdeck_changes_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('opsdeck_changes', TG_TABLE_NAME);
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS opsdeck_changes_notify_orders ON orders;
CREATE TRIGGER opsdeck_changes_notify_orders AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON orders
  FOR EACH STATEMENT EXECUTE FUNCTION opsdeck_changes_notify();
