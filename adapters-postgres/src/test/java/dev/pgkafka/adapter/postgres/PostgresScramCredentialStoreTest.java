package dev.pgkafka.adapter.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.pgkafka.adapter.postgres.testing.PostgresTestDatabase;
import dev.pgkafka.application.contract.ScramCredentialStoreContract;
import dev.pgkafka.application.contract.StorageUnderTest;
import dev.pgkafka.domain.security.scram.ScramMechanism;
import dev.pgkafka.domain.security.scram.UserScramCredential;

/** The storage contract kit against a real PostgreSQL database, and what the table holds. */
class PostgresScramCredentialStoreTest extends ScramCredentialStoreContract {
    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    @Override
    protected StorageUnderTest createStorage() {
        return PostgresContractSupport.open(DB.jdbcUrl());
    }

    @Override
    protected StorageUnderTest reopenStorage() {
        return PostgresContractSupport.open(DB.jdbcUrl());
    }

    @Test
    void theTableHoldsKeysAndSaltNeverThePassword() throws SQLException {
        String user = uniqueName("sql");
        byte[] salt = "NaCl".getBytes(StandardCharsets.UTF_8);
        storage.scramCredentials().alter(List.of(new UserScramCredential(user, ScramMechanism.SCRAM_SHA_256,
                ScramMechanism.SCRAM_SHA_256.credentialFromPassword("pencil-secret", salt, 4096))), List.of());

        try (Connection c = DriverManager.getConnection(DB.jdbcUrl());
             PreparedStatement s = c.prepareStatement("SELECT * FROM kafka.scram_credentials WHERE user_name = ?")) {
            s.setString(1, user);
            ResultSet r = s.executeQuery();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                columns.add(r.getMetaData().getColumnName(i));
            }
            assertEquals(List.of("user_name", "mechanism", "salt", "stored_key", "server_key", "iterations", "updated_at"),
                    columns);
            r.next();
            assertEquals("SCRAM-SHA-256", r.getString("mechanism"));
            assertEquals(4096, r.getInt("iterations"));
            for (String column : List.of("salt", "stored_key", "server_key")) {
                String bytes = new String(r.getBytes(column), StandardCharsets.ISO_8859_1);
                assertFalse(bytes.contains("pencil"), column);
            }
            assertArrayEquals(salt, r.getBytes("salt"));
            assertEquals(32, r.getBytes("stored_key").length);
        }
    }

    @Test
    void theTableRefusesUnknownMechanisms() throws SQLException {
        try (Connection c = DriverManager.getConnection(DB.jdbcUrl()); Statement s = c.createStatement()) {
            assertThrows(SQLException.class, () -> s.execute("INSERT INTO kafka.scram_credentials (user_name, mechanism, "
                    + "salt, stored_key, server_key, iterations) VALUES ('x', 'SCRAM-SHA-1', '\\x00', '\\x00', '\\x00', 4096)"));
        }
    }
}
