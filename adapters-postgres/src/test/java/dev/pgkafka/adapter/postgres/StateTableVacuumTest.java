package dev.pgkafka.adapter.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.pgkafka.adapter.postgres.log.PostgresLogCleaner;
import dev.pgkafka.adapter.postgres.testing.PostgresTestDatabase;

/**
 * Where the server's autovacuum is off, the log cleaner vacuums the tables updated in place once they
 * hold dead rows, so they do not grow for ever; where it is on, it leaves them to autovacuum.
 */
class StateTableVacuumTest {
    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    @Test
    void theCleanerVacuumsStateTablesWithDeadRowsOnlyWhenAutovacuumIsOff() throws Exception {
        try (PostgresStorage storage = PostgresStorage.open(DB.jdbcUrl(), 4);
             Connection c = DriverManager.getConnection(DB.jdbcUrl());
             Statement st = c.createStatement()) {
            boolean autovacuumOn = "on".equals(text(st, "SHOW autovacuum"));
            // a table of the broker's schema with 3,000 dead rows, as offsets or producer state get them
            st.execute("CREATE TABLE kafka.vacuum_probe (id int PRIMARY KEY, v int)");
            st.execute("INSERT INTO kafka.vacuum_probe SELECT g, 0 FROM generate_series(1, 3000) g");
            st.execute("DELETE FROM kafka.vacuum_probe");
            PostgresLogCleaner cleaner = new PostgresLogCleaner(storage.backgroundPool(), null, Duration.ZERO);

            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            long vacuums = 0;
            // the statistics reach pg_stat_user_tables within a second or so of the DELETE's commit
            while (System.nanoTime() < deadline && vacuums == 0) {
                cleaner.reclaimSpace(0);
                st.execute("SELECT pg_stat_clear_snapshot()");
                vacuums = Long.parseLong(text(st,
                        "SELECT vacuum_count FROM pg_stat_user_tables WHERE relid = 'kafka.vacuum_probe'::regclass"));
                if (vacuums == 0) {
                    Thread.sleep(autovacuumOn ? 500 : 200);
                }
                if (autovacuumOn && System.nanoTime() > deadline - Duration.ofSeconds(15).toNanos()) {
                    break; // five seconds of passes are enough to show it leaves the table alone
                }
            }
            if (autovacuumOn) {
                assertEquals(0, vacuums, "with autovacuum on the cleaner does not vacuum state tables itself");
            } else {
                assertTrue(vacuums > 0, "with autovacuum off the cleaner vacuumed the table with dead rows");
                assertEquals("0", text(st, "SELECT count(*) FROM pg_stat_user_tables WHERE schemaname = 'kafka' "
                        + "AND relname IN ('records', 'time_index') AND vacuum_count > 0"),
                        "records and time index are vacuumed only after the cleaner removed enough records");
            }
        }
    }

    private static String text(Statement st, String query) throws SQLException {
        try (ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
