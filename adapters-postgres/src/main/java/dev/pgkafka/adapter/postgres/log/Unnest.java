package dev.pgkafka.adapter.postgres.log;

import java.util.StringJoiner;

import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * PostgreSQL's multi-array {@code unnest(a, b, ...)} as a derived table: parallel bound arrays
 * become rows, so one statement (with one SQL text) handles any number of rows. jOOQ's
 * {@code rowsFrom} renders an emulation PostgreSQL rejects, hence the template.
 */
public final class Unnest {
    private Unnest() {
    }

    public static Table<Record> of(String alias, String[] columns, Field<?>... arrays) {
        return DSL.table(template(arrays.length, ""), (Object[]) arrays).as(alias, columns);
    }

    /** With a last column numbering the rows from 1, in array order. */
    public static Table<Record> withOrdinality(String alias, String[] columns, Field<?>... arrays) {
        return DSL.table(template(arrays.length, " with ordinality"), (Object[]) arrays).as(alias, columns);
    }

    private static String template(int arrays, String suffix) {
        StringJoiner args = new StringJoiner(", ", "unnest(", ")" + suffix);
        for (int i = 0; i < arrays; i++) {
            args.add("{" + i + "}");
        }
        return args.toString();
    }
}
