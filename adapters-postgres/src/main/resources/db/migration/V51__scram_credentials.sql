-- SCRAM credentials (SASL/SCRAM-SHA-256 and -512 logins, managed with Kafka's Admin API
-- AlterUserScramCredentials or given at start with --add-scram): what RFC 5802 lets a server keep
-- instead of a password. Neither the password nor the salted password is stored; a login proves the
-- password against stored_key, and the broker proves itself with server_key.
CREATE TABLE scram_credentials (
    user_name  varchar     NOT NULL,
    mechanism  varchar(16) NOT NULL CHECK (mechanism IN ('SCRAM-SHA-256', 'SCRAM-SHA-512')),
    salt       bytea       NOT NULL,
    stored_key bytea       NOT NULL,
    server_key bytea       NOT NULL,
    iterations integer     NOT NULL CHECK (iterations > 0),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_name, mechanism)
);
COMMENT ON TABLE scram_credentials IS 'SCRAM logins: salt, StoredKey, ServerKey and iterations per user and mechanism; never a password.';
