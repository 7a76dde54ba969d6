package dev.pgkafka.adapter.postgres.log;

import static dev.pgkafka.adapter.postgres.schema.Tables.RECORDS;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import dev.pgkafka.adapter.postgres.copy.BinaryCopyWriter;
import dev.pgkafka.domain.log.AppendBatch;
import dev.pgkafka.domain.log.Header;
import dev.pgkafka.domain.log.LogRecord;
import dev.pgkafka.domain.log.ProducerStamp;

/**
 * The rows of one append transaction, encoded for a single binary {@code COPY records FROM STDIN}:
 * one statement for all batches of a produce request instead of a round trip per record.
 */
final class RecordsCopy {
    /** The COPY column order; {@link #add} writes the fields in exactly this order. */
    private static final List<Field<?>> COLUMNS = List.of(RECORDS.OFFSET, RECORDS.TIMESTAMP, RECORDS.PRODUCER_ID,
            RECORDS.TOPIC_KEY, RECORDS.PARTITION, RECORDS.SEQUENCE, RECORDS.SIZE, RECORDS.PRODUCER_EPOCH, RECORDS.ATTRIBUTES,
            RECORDS.KEY, RECORDS.VALUE, RECORDS.HEADER_KEYS, RECORDS.HEADER_VALUES);

    /** A constant statement: names come from the generated schema, values travel in the COPY data. */
    static final String SQL;

    static {
        DSLContext render = DSL.using(SQLDialect.POSTGRES);
        SQL = "COPY " + render.render(RECORDS) + " ("
                + COLUMNS.stream().map(f -> render.render(DSL.name(f.getName()))).collect(Collectors.joining(", "))
                + ") FROM STDIN (FORMAT binary)";
    }

    private BinaryCopyWriter writer;

    /** Adds the batch's rows; returns their payload bytes (the sum of the rows' size column). */
    long add(int topicKey, int partition, long baseOffset, AppendBatch batch) {
        List<LogRecord> records = batch.records();
        if (writer == null) {
            writer = new BinaryCopyWriter(Math.max(4096, batch.sizeInBytes() + records.size() * 96));
        }
        ProducerStamp producer = batch.producer();
        short attributes = batch.attributes().toBits();
        long bytes = 0;
        for (int i = 0; i < records.size(); i++) {
            LogRecord r = records.get(i);
            int size = r.payloadSize();
            bytes += size;
            writer.startRow(COLUMNS.size())
                    .int8(baseOffset + i)
                    .int8(r.timestamp())
                    .int8(producer.producerId())
                    .int4(topicKey)
                    .int4(partition)
                    .int4(producer.sequenceAt(i))
                    .int4(size)
                    .int2(producer.producerEpoch())
                    .int2(attributes)
                    .bytea(r.key())
                    .bytea(r.value());
            List<Header> headers = r.headers();
            if (headers.isEmpty()) {
                // no headers is NULL, not an empty array: no array overhead in the common case
                writer.nullField().nullField();
            } else {
                String[] keys = new String[headers.size()];
                byte[][] values = new byte[headers.size()][];
                for (int h = 0; h < keys.length; h++) {
                    keys[h] = headers.get(h).key();
                    values[h] = headers.get(h).value();
                }
                writer.textArray(keys).byteaArray(values);
            }
        }
        return bytes;
    }

    boolean isEmpty() {
        return writer == null;
    }

    /** Sends the rows; returns how many PostgreSQL inserted. */
    long send(Connection connection) throws SQLException {
        if (writer == null) {
            return 0;
        }
        int rows = writer.rowCount();
        writer.finish();
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(SQL);
        try {
            copy.writeToCopy(writer.buffer(), 0, writer.length());
            long inserted = copy.endCopy();
            if (inserted != rows) {
                throw new SQLException("COPY inserted " + inserted + " of " + rows + " records");
            }
            return inserted;
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }
}
