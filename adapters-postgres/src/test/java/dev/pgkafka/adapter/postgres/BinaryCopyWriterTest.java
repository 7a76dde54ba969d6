package dev.pgkafka.adapter.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import dev.pgkafka.adapter.postgres.testing.PostgresTestDatabase;
import dev.pgkafka.adapter.postgres.copy.BinaryCopyWriter;

/** Our binary COPY encoder, checked by PostgreSQL itself decoding it. */
class BinaryCopyWriterTest {
    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    @Test
    void postgresReadsEveryFieldKindBack() throws SQLException {
        BinaryCopyWriter w = new BinaryCopyWriter(16); // small on purpose: the buffer must grow
        w.startRow(6).int8(Long.MIN_VALUE).int4(-1).int2(Short.MAX_VALUE).bytea(new byte[]{0, (byte) 0xff})
                .textArray(new String[]{"a", "\u00e9\u4e2d\ud83d\ude00", ""}).byteaArray(new byte[][]{{1}, null, {}});
        w.startRow(6).int8(0).int4(0).int2((short) 0).bytea(null).textArray(null).byteaArray(null);
        w.startRow(6).int8(1).nullField().nullField().bytea(new byte[0]).textArray(new String[0]).byteaArray(new byte[0][]);
        w.startRow(6).int8(2).int4(3).int2((short) 4).bytea(new byte[100_000]).textArray(new String[]{"x"}).byteaArray(new byte[][]{null});
        w.finish();
        assertEquals(4, w.rowCount());
        assertThrows(IllegalStateException.class, () -> w.startRow(1));

        try (Connection c = DriverManager.getConnection(DB.jdbcUrl()); Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE t (a bigint, b integer, c smallint, d bytea, e text[], f bytea[])");
            CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY t FROM STDIN (FORMAT binary)");
            in.writeToCopy(w.buffer(), 0, w.length());
            assertEquals(4, in.endCopy());

            try (ResultSet rs = s.executeQuery("SELECT a, b, c, d, e, f, cardinality(e), cardinality(f) FROM t ORDER BY a")) {
                assertTrue(rs.next());
                assertEquals(Long.MIN_VALUE, rs.getLong(1));
                assertEquals(-1, rs.getInt(2));
                assertEquals(Short.MAX_VALUE, rs.getShort(3));
                assertArrayEquals(new byte[]{0, (byte) 0xff}, rs.getBytes(4));
                assertArrayEquals(new String[]{"a", "\u00e9\u4e2d\ud83d\ude00", ""}, (String[]) rs.getArray(5).getArray());
                byte[][] f = (byte[][]) rs.getArray(6).getArray();
                assertArrayEquals(new byte[]{1}, f[0]);
                assertNull(f[1]);
                assertArrayEquals(new byte[0], f[2]);

                assertTrue(rs.next());
                assertEquals(0, rs.getLong(1));
                assertNull(rs.getBytes(4));
                assertNull(rs.getArray(5));
                assertNull(rs.getArray(6));

                assertTrue(rs.next());
                assertEquals(1, rs.getLong(1));
                rs.getInt(2);
                assertTrue(rs.wasNull());
                assertArrayEquals(new byte[0], rs.getBytes(4));
                assertEquals(0, rs.getInt(7), "empty text[]");
                assertEquals(0, rs.getInt(8), "empty bytea[]");

                assertTrue(rs.next());
                assertEquals(100_000, rs.getBytes(4).length);
                assertNull(((byte[][]) rs.getArray(6).getArray())[0]);
                assertFalse(rs.next());
            }
        }
    }
}
