-- Transaction markers are rows of records (docs/adr/0011-transactions.md): the view for people says
-- which rows are markers, so that psql readers can tell them from records (or filter them out).
/* [jooq ignore start] */
CREATE OR REPLACE VIEW messages AS
SELECT t.name                                              AS topic,
       r.partition                                         AS partition,
       r."offset"                                          AS "offset",
       timestamptz 'epoch' + r.timestamp * interval '1 millisecond' AS timestamp,
       r.key                                               AS key,
       r.value                                             AS value,
       CASE WHEN r.header_keys IS NULL THEN '[]'::jsonb ELSE
           (SELECT jsonb_agg(jsonb_build_object('key', h.key, 'value', bytes_to_text(h.value)) ORDER BY h.ord)
              FROM unnest(r.header_keys, r.header_values) WITH ORDINALITY AS h (key, value, ord))
       END                                                 AS headers,
       bytes_to_text(r.key)                                AS key_text,
       bytes_to_text(r.value)                              AS value_text,
       CASE WHEN r.attributes & 8 = 0 THEN 'CreateTime' ELSE 'LogAppendTime' END AS timestamp_type,
       r.producer_id                                       AS producer_id,
       r.producer_epoch                                    AS producer_epoch,
       r.sequence                                          AS sequence,
       r.attributes & 16 <> 0                              AS transactional,
       r.timestamp                                         AS timestamp_ms,
       t.topic_id                                          AS topic_id,
       CASE WHEN r.attributes & 32 = 0 THEN NULL
            WHEN get_byte(r.key, 3) = 1 THEN 'COMMIT' ELSE 'ABORT' END AS control
  FROM records r
  JOIN topics t ON t.topic_key = r.topic_key;
COMMENT ON VIEW messages IS 'Kafka records for people: topic, partition, "offset", timestamp, key, value, headers (jsonb array of {key, value} with values as text), key_text/value_text (UTF-8, or \x-hex when not UTF-8); control is COMMIT or ABORT for transaction markers, NULL for records.';
/* [jooq ignore stop] */
