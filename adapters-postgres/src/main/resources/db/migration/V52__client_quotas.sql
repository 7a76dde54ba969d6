-- Client quotas (DescribeClientQuotas, AlterClientQuotas; kafka-configs --entity-type users/clients/ips),
-- shared by every broker on this database. See docs/adr/0018-client-quotas.md. Each broker keeps them in
-- memory and polls client_quota_version to notice changes, so a change is in force everywhere within a
-- second:
--   SELECT entity, quota_key, value FROM kafka.client_quotas ORDER BY entity, quota_key;
--
-- One row per entity and key. An entity names a user, a client id, both, or an IP address, each by
-- name or as the default (Kafka's <default>): a *_default column is true and the name NULL. A part
-- the entity does not name has a NULL name and false for its default.

CREATE TABLE client_quotas (
    user_name         varchar     CHECK (user_name <> ''),
    user_default      boolean     NOT NULL DEFAULT false,
    client_id         varchar     CHECK (client_id <> ''),
    client_id_default boolean     NOT NULL DEFAULT false,
    ip                varchar     CHECK (ip <> ''),
    ip_default        boolean     NOT NULL DEFAULT false,
    quota_key         varchar(32) NOT NULL
        CHECK (quota_key IN ('producer_byte_rate', 'consumer_byte_rate', 'request_percentage',
                             'controller_mutation_rate', 'connection_creation_rate')),
    value             double precision NOT NULL CHECK (value > 0),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    -- a default has no name
    CONSTRAINT client_quotas_default_unnamed CHECK (NOT (user_default AND user_name IS NOT NULL)
        AND NOT (client_id_default AND client_id IS NOT NULL) AND NOT (ip_default AND ip IS NOT NULL)),
    -- an entity names something: Kafka refuses an empty entity
    CONSTRAINT client_quotas_entity_not_empty CHECK (user_name IS NOT NULL OR user_default
        OR client_id IS NOT NULL OR client_id_default OR ip IS NOT NULL OR ip_default),
    -- an IP address's quota stands alone and is its connection rate; users and clients have the others
    CONSTRAINT client_quotas_ip_alone CHECK (NOT ((ip IS NOT NULL OR ip_default)
        AND (user_name IS NOT NULL OR user_default OR client_id IS NOT NULL OR client_id_default))),
    CONSTRAINT client_quotas_key_fits_entity CHECK ((ip IS NOT NULL OR ip_default)
        = (quota_key = 'connection_creation_rate'))
);
COMMENT ON TABLE client_quotas IS 'Kafka client quotas, one row per entity and key: the user (principal name), client id, both, or IP address a limit is set for, each by name or as the default, and the limit (bytes/s, percent of a request thread, partition mutations/s, connections/s).';
COMMENT ON COLUMN client_quotas.user_name IS 'The principal''s name (alice for User:alice, ANONYMOUS without a login); NULL when the entity names no user or every user''s default.';
COMMENT ON COLUMN client_quotas.value IS 'producer_byte_rate, consumer_byte_rate: bytes per second per broker; request_percentage: percent of one request thread per broker; controller_mutation_rate: partitions created or deleted per second; connection_creation_rate: connections per second.';

-- One row: a counter that every change to client_quotas moves (the triggers below, so edits in psql
-- count too). Brokers read it several times a second and reload the quotas when it moved.
CREATE TABLE client_quota_version (
    singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    version    bigint      NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE client_quota_version IS 'One row: a counter moved by every change to kafka.client_quotas; brokers poll it to reload their quotas.';

/* [jooq ignore start] */
INSERT INTO client_quota_version (singleton, version) VALUES (true, 0);

-- An entity and key are stored once. Names are never empty, so '' stands for "not named" in the key.
CREATE UNIQUE INDEX client_quotas_entity_key ON client_quotas (coalesce(user_name, ''), user_default,
    coalesce(client_id, ''), client_id_default, coalesce(ip, ''), ip_default, quota_key);

-- The entity as Kafka's tools print it, e.g. 'user=alice, client-id=<default>', for people reading the table.
ALTER TABLE client_quotas ADD COLUMN entity text GENERATED ALWAYS AS (
    ltrim(coalesce(', user=' || CASE WHEN user_default THEN '<default>' ELSE user_name END, '')
        || coalesce(', client-id=' || CASE WHEN client_id_default THEN '<default>' ELSE client_id END, '')
        || coalesce(', ip=' || CASE WHEN ip_default THEN '<default>' ELSE ip END, ''), ', ')) STORED;
COMMENT ON COLUMN client_quotas.entity IS 'The entity as kafka-configs prints it: user=alice, client-id=<default>, ip=10.0.0.7 (generated).';

-- As for the ACLs: the update commits with the change that fired it, and its row lock queues
-- concurrent changes. The table is named through the trigger's schema, so a psql session editing
-- kafka.client_quotas need not have kafka on its search path.
CREATE FUNCTION client_quotas_changed() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    EXECUTE format('UPDATE %I.client_quota_version SET version = version + 1, changed_at = now()', TG_TABLE_SCHEMA);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION client_quotas_changed() IS 'Moves kafka.client_quota_version on every change to kafka.client_quotas.';

CREATE TRIGGER client_quotas_changed AFTER INSERT OR UPDATE OR DELETE ON client_quotas
    FOR EACH STATEMENT EXECUTE FUNCTION client_quotas_changed();
CREATE TRIGGER client_quotas_truncated AFTER TRUNCATE ON client_quotas
    FOR EACH STATEMENT EXECUTE FUNCTION client_quotas_changed();
/* [jooq ignore stop] */
