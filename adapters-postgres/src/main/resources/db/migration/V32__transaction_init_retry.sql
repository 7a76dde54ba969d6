-- What a transactional id had before its last InitProducerId bump, so that a retry of that request
-- (the producer lost the answer) gets the same answer instead of PRODUCER_FENCED (KIP-360).
ALTER TABLE transactions
    ADD COLUMN previous_producer_id bigint   NOT NULL DEFAULT -1,
    ADD COLUMN last_producer_epoch  smallint NOT NULL DEFAULT -1;
COMMENT ON COLUMN transactions.previous_producer_id IS 'Producer id before the last InitProducerId bump the producer asked for with its own id and epoch, else -1.';
COMMENT ON COLUMN transactions.last_producer_epoch IS 'Epoch before that bump, else -1.';
