-- When each producer last appended to a partition, in the database's time, so that idle producers
-- can be forgotten after producer.id.expiration.ms as Kafka does (their batch timestamps are the
-- clients' and may be anything).
ALTER TABLE producer_state ADD COLUMN last_append_ms bigint NOT NULL DEFAULT 0;
COMMENT ON COLUMN producer_state.last_append_ms IS 'When the producer last appended here (epoch ms, the database''s clock); idle producers without an open transaction are forgotten after producer.id.expiration.ms.';

/* [jooq ignore start] */
-- every upsert takes the default, i.e. the time of its own transaction
ALTER TABLE producer_state ALTER COLUMN last_append_ms SET DEFAULT (extract(epoch FROM now()) * 1000)::bigint;
UPDATE producer_state SET last_append_ms = (extract(epoch FROM now()) * 1000)::bigint;
/* [jooq ignore stop] */
