-- ACLs of Kafka's standard authorizer (CreateAcls, DescribeAcls, DeleteAcls; kafka-acls), shared by
-- every broker on this database. See docs/adr/0012-acls.md. Each broker keeps them in memory and
-- polls acl_version to notice changes, so a change is in force everywhere within a second:
--   SELECT * FROM kafka.acls ORDER BY resource_type, resource_name;

CREATE TABLE acls (
    resource_type   varchar(16) NOT NULL
        CHECK (resource_type IN ('TOPIC', 'GROUP', 'CLUSTER', 'TRANSACTIONAL_ID', 'DELEGATION_TOKEN', 'USER')),
    resource_name   varchar     NOT NULL CHECK (length(resource_name) > 0),
    pattern_type    varchar(8)  NOT NULL CHECK (pattern_type IN ('LITERAL', 'PREFIXED')),
    principal       varchar     NOT NULL CHECK (strpos(principal, ':') > 0),
    host            varchar     NOT NULL,
    operation       varchar(16) NOT NULL
        CHECK (operation IN ('ALL', 'READ', 'WRITE', 'CREATE', 'DELETE', 'ALTER', 'DESCRIBE', 'CLUSTER_ACTION',
                             'DESCRIBE_CONFIGS', 'ALTER_CONFIGS', 'IDEMPOTENT_WRITE', 'CREATE_TOKENS',
                             'DESCRIBE_TOKENS', 'TWO_PHASE_COMMIT')),
    permission_type varchar(8)  NOT NULL CHECK (permission_type IN ('ALLOW', 'DENY')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT acls_binding_unique
        UNIQUE (resource_type, resource_name, pattern_type, principal, host, operation, permission_type)
);
COMMENT ON TABLE acls IS 'Kafka ACLs, one row per binding, under Kafka''s names: ALLOW or DENY a principal (User:alice, User:* for all) from a host (an IP address, * for any) an operation on resources of a type named LITERAL (* for all) or by PREFIX.';
COMMENT ON COLUMN acls.principal IS 'Type:name as Kafka writes it, e.g. User:alice or User:CN=alice,OU=eng; User:* matches every principal.';
COMMENT ON COLUMN acls.host IS 'The client IP address as text (10.0.0.7, 0:0:0:0:0:0:0:1), or * for any host.';

-- One row: a counter that every change to acls moves (the triggers below, so edits in psql count too).
-- Brokers read it several times a second and reload the ACLs when it moved.
CREATE TABLE acl_version (
    singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    version    bigint      NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE acl_version IS 'One row: a counter moved by every change to kafka.acls; brokers poll it to reload their ACLs.';

/* [jooq ignore start] */
INSERT INTO acl_version (singleton, version) VALUES (true, 0);

-- The update commits with the change that fired it, so a broker that sees the counter move sees the
-- rows that moved it; its row lock also queues concurrent changes. The table is named through the
-- trigger's schema: a psql session editing kafka.acls need not have kafka on its search path.
CREATE FUNCTION acls_changed() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    EXECUTE format('UPDATE %I.acl_version SET version = version + 1, changed_at = now()', TG_TABLE_SCHEMA);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION acls_changed() IS 'Moves kafka.acl_version on every change to kafka.acls.';

CREATE TRIGGER acls_changed AFTER INSERT OR UPDATE OR DELETE ON acls
    FOR EACH STATEMENT EXECUTE FUNCTION acls_changed();
CREATE TRIGGER acls_truncated AFTER TRUNCATE ON acls
    FOR EACH STATEMENT EXECUTE FUNCTION acls_changed();
/* [jooq ignore stop] */
