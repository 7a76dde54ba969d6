package dev.pgkafka.adapter.postgres.security;

import static dev.pgkafka.adapter.postgres.schema.Tables.SCRAM_CREDENTIALS;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SelectJoinStep;
import org.jooq.impl.DSL;

import dev.pgkafka.adapter.postgres.jdbc.Database;
import dev.pgkafka.application.port.out.ScramCredentialStorePort;
import dev.pgkafka.domain.security.scram.ScramCredential;
import dev.pgkafka.domain.security.scram.ScramCredentialKey;
import dev.pgkafka.domain.security.scram.ScramMechanism;
import dev.pgkafka.domain.security.scram.UserScramCredential;

/** SCRAM credentials in {@code kafka.scram_credentials}, one row per user and mechanism. */
public final class PostgresScramCredentialStore implements ScramCredentialStorePort {
    private final Database db;

    public PostgresScramCredentialStore(Database db) {
        this.db = db;
    }

    @Override
    public Optional<ScramCredential> find(String user, ScramMechanism mechanism) {
        return db.autoCommit("find a SCRAM credential", (c, sql) -> sql
                .select(SCRAM_CREDENTIALS.SALT, SCRAM_CREDENTIALS.STORED_KEY, SCRAM_CREDENTIALS.SERVER_KEY,
                        SCRAM_CREDENTIALS.ITERATIONS)
                .from(SCRAM_CREDENTIALS)
                .where(SCRAM_CREDENTIALS.USER_NAME.eq(user))
                .and(SCRAM_CREDENTIALS.MECHANISM.eq(mechanism.mechanismName()))
                .fetchOptional(PostgresScramCredentialStore::credential));
    }

    @Override
    public List<UserScramCredential> findByUsers(Collection<String> users) {
        if (users.isEmpty()) {
            return List.of();
        }
        return db.autoCommit("find SCRAM credentials", (c, sql) -> select(sql)
                .where(SCRAM_CREDENTIALS.USER_NAME.in(Set.copyOf(users)))
                .orderBy(SCRAM_CREDENTIALS.USER_NAME.collate("C"), SCRAM_CREDENTIALS.MECHANISM)
                .fetch(PostgresScramCredentialStore::userCredential));
    }

    @Override
    public List<UserScramCredential> findAll() {
        return db.autoCommit("list SCRAM credentials", (c, sql) -> select(sql)
                // code point order, whatever the database's collation: the order Java's strings sort in
                .orderBy(SCRAM_CREDENTIALS.USER_NAME.collate("C"), SCRAM_CREDENTIALS.MECHANISM)
                .fetch(PostgresScramCredentialStore::userCredential));
    }

    @Override
    public Set<ScramCredentialKey> alter(List<UserScramCredential> upserts, List<ScramCredentialKey> deletions) {
        return db.transaction("alter SCRAM credentials", (c, sql) -> {
            Set<ScramCredentialKey> missing = new HashSet<>();
            for (ScramCredentialKey key : deletions) {
                int deleted = sql.deleteFrom(SCRAM_CREDENTIALS)
                        .where(SCRAM_CREDENTIALS.USER_NAME.eq(key.user()))
                        .and(SCRAM_CREDENTIALS.MECHANISM.eq(key.mechanism().mechanismName()))
                        .execute();
                if (deleted == 0) {
                    missing.add(key);
                }
            }
            for (UserScramCredential u : upserts) {
                ScramCredential credential = u.credential();
                sql.insertInto(SCRAM_CREDENTIALS, SCRAM_CREDENTIALS.USER_NAME, SCRAM_CREDENTIALS.MECHANISM,
                                SCRAM_CREDENTIALS.SALT, SCRAM_CREDENTIALS.STORED_KEY, SCRAM_CREDENTIALS.SERVER_KEY,
                                SCRAM_CREDENTIALS.ITERATIONS)
                        .values(u.user(), u.mechanism().mechanismName(), credential.salt(), credential.storedKey(),
                                credential.serverKey(), credential.iterations())
                        .onConflict(SCRAM_CREDENTIALS.USER_NAME, SCRAM_CREDENTIALS.MECHANISM)
                        .doUpdate()
                        .set(SCRAM_CREDENTIALS.SALT, DSL.excluded(SCRAM_CREDENTIALS.SALT))
                        .set(SCRAM_CREDENTIALS.STORED_KEY, DSL.excluded(SCRAM_CREDENTIALS.STORED_KEY))
                        .set(SCRAM_CREDENTIALS.SERVER_KEY, DSL.excluded(SCRAM_CREDENTIALS.SERVER_KEY))
                        .set(SCRAM_CREDENTIALS.ITERATIONS, DSL.excluded(SCRAM_CREDENTIALS.ITERATIONS))
                        .set(SCRAM_CREDENTIALS.UPDATED_AT, DSL.currentOffsetDateTime())
                        .execute();
            }
            return missing;
        });
    }

    private static SelectJoinStep<?> select(DSLContext sql) {
        return sql.select(SCRAM_CREDENTIALS.USER_NAME, SCRAM_CREDENTIALS.MECHANISM, SCRAM_CREDENTIALS.SALT,
                        SCRAM_CREDENTIALS.STORED_KEY, SCRAM_CREDENTIALS.SERVER_KEY, SCRAM_CREDENTIALS.ITERATIONS)
                .from(SCRAM_CREDENTIALS);
    }

    private static ScramCredential credential(Record r) {
        return new ScramCredential(r.get(SCRAM_CREDENTIALS.SALT), r.get(SCRAM_CREDENTIALS.STORED_KEY),
                r.get(SCRAM_CREDENTIALS.SERVER_KEY), r.get(SCRAM_CREDENTIALS.ITERATIONS));
    }

    private static UserScramCredential userCredential(Record r) {
        ScramMechanism mechanism = ScramMechanism.forMechanismName(r.get(SCRAM_CREDENTIALS.MECHANISM)).orElseThrow(() ->
                new IllegalStateException("unknown mechanism in kafka.scram_credentials: " + r.get(SCRAM_CREDENTIALS.MECHANISM)));
        return new UserScramCredential(r.get(SCRAM_CREDENTIALS.USER_NAME), mechanism, credential(r));
    }
}
