package dev.pgkafka.bootstrap.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Secrets stay hidden wherever a value may be shown; database URLs are taken in both forms. */
class SecretsTest {

    @Test
    void passwordKeysUnderAnyListenerOrMechanismPrefixAreSensitive() {
        for (String key : new String[] {"ssl.keystore.password", "listener.name.sasl_ssl.ssl.key.password",
                "listener.name.sasl_ssl.plain.sasl.jaas.config", "sasl.jaas.config", "ssl.keystore.key",
                "listener.name.mtls.ssl.truststore.certificates", "pgkafka.database.url",
                "pgkafka.http.ssl.keystore.password", "sasl.oauthbearer.client.credentials.client.secret"}) {
            assertTrue(Secrets.isSensitive(key), key);
            assertEquals(Secrets.HIDDEN, Secrets.shown(key, "x").replace("x", Secrets.HIDDEN).substring(0, 8), key);
        }
        for (String key : new String[] {"ssl.keystore.location", "listeners", "num.partitions", "ssl.client.auth"}) {
            assertFalse(Secrets.isSensitive(key), key);
        }
    }

    @Test
    void databaseUrlsLoseTheirPasswordInBothForms() {
        assertEquals("jdbc:postgresql://db:5432/app?user=u&password=[hidden]&ssl=true",
                Secrets.redactUrl("jdbc:postgresql://db:5432/app?user=u&password=s3cr3t&ssl=true"));
        assertEquals("postgres://u:[hidden]@db:5432/app", Secrets.redactUrl("postgres://u:s3cr3t@db:5432/app"));
        assertEquals("could not reach postgresql://admin:[hidden]@h/db: refused",
                Secrets.redactUrl("could not reach postgresql://admin:p%40ss@h/db: refused"));
        assertFalse(Secrets.scrub("auth failed for hunter2 at jdbc:x?password=abc", java.util.List.of("hunter2"))
                .contains("hunter2"));
    }

    @Test
    void postgresUrlsBecomeJdbcUrlsWithTheirCredentialsAsParameters() {
        assertEquals("jdbc:postgresql://db:5432/app?user=u&password=p%40ss%3Aword",
                DatabaseUrls.toJdbc("postgres://u:p%40ss%3Aword@db:5432/app"));
        assertEquals("jdbc:postgresql://db/app?sslmode=require&user=u",
                DatabaseUrls.toJdbc("postgresql://u@db/app?sslmode=require"));
        assertEquals("jdbc:postgresql://db/app", DatabaseUrls.toJdbc("postgresql://db/app"));
        assertEquals("jdbc:postgresql://h/d?user=x", DatabaseUrls.toJdbc("jdbc:postgresql://h/d?user=x"));
        ConfigException e = assertThrows(ConfigException.class, () -> DatabaseUrls.toJdbc("mysql://u:hunter2@h/d"));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void theShownConfigurationHidesEverySecret() {
        ServerProperties p = new ServerProperties(Map.of("ssl.keystore.password", "hunter2",
                "pgkafka.database.url", "jdbc:postgresql://h/d?password=hunter2", "listeners", "SSL://:9093"));
        assertFalse(p.toString().contains("hunter2"), p.toString());
        assertTrue(p.toString().contains("listeners=SSL://:9093"), p.toString());
    }
}
