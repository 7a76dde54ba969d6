package dev.pgkafka.adapter.postgres.acl;

import static dev.pgkafka.adapter.postgres.schema.Tables.ACLS;
import static dev.pgkafka.adapter.postgres.schema.Tables.ACL_VERSION;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jooq.DSLContext;
import org.jooq.InsertValuesStep7;
import org.jooq.Record7;
import org.jooq.Row7;
import org.jooq.impl.DSL;

import dev.pgkafka.adapter.postgres.jdbc.Database;
import dev.pgkafka.adapter.postgres.schema.tables.records.AclsRecord;
import dev.pgkafka.application.port.out.AclStorePort;
import dev.pgkafka.domain.security.acl.AccessControlEntry;
import dev.pgkafka.domain.security.acl.AclBinding;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.AclPermissionType;
import dev.pgkafka.domain.security.acl.PatternType;
import dev.pgkafka.domain.security.acl.ResourcePattern;
import dev.pgkafka.domain.security.acl.ResourceType;

/**
 * ACLs in {@code kafka.acls}, one row per binding with Kafka's enum names as text; the counter in
 * {@code kafka.acl_version} is moved by the table's triggers, so every change counts, whoever makes it.
 */
public final class PostgresAclStore implements AclStorePort {
    /** Rows per statement: 7 bind values each, well below PostgreSQL's 32767 per statement. */
    private static final int BATCH = 1000;

    private final Database db;

    public PostgresAclStore(Database db) {
        this.db = db;
    }

    @Override
    public Snapshot load() {
        return db.readOnly("load the ACLs", (c, sql) -> {
            // the counter first: rows read after it are at least as new, so no change can be missed
            long version = readVersion(sql);
            List<AclBinding> bindings = new ArrayList<>();
            sql.select(ACLS.RESOURCE_TYPE, ACLS.RESOURCE_NAME, ACLS.PATTERN_TYPE, ACLS.PRINCIPAL, ACLS.HOST,
                            ACLS.OPERATION, ACLS.PERMISSION_TYPE)
                    .from(ACLS)
                    .fetch()
                    .forEach(r -> bindings.add(binding(r)));
            return new Snapshot(version, bindings);
        });
    }

    @Override
    public long version() {
        return db.autoCommit("read the ACL version", (c, sql) -> readVersion(sql));
    }

    @Override
    public void add(Collection<AclBinding> bindings) {
        if (bindings.isEmpty()) {
            return;
        }
        List<AclBinding> distinct = List.copyOf(new LinkedHashSet<>(bindings));
        db.transaction("store ACLs", (c, sql) -> {
            for (int from = 0; from < distinct.size(); from += BATCH) {
                InsertValuesStep7<AclsRecord, String, String, String, String, String, String, String> insert =
                        sql.insertInto(ACLS, ACLS.RESOURCE_TYPE, ACLS.RESOURCE_NAME, ACLS.PATTERN_TYPE, ACLS.PRINCIPAL,
                                ACLS.HOST, ACLS.OPERATION, ACLS.PERMISSION_TYPE);
                for (AclBinding b : distinct.subList(from, Math.min(distinct.size(), from + BATCH))) {
                    insert = insert.values(b.pattern().resourceType().name(), b.pattern().name(),
                            b.pattern().patternType().name(), b.entry().principal(), b.entry().host(),
                            b.entry().operation().name(), b.entry().permission().name());
                }
                insert.onConflictDoNothing().execute();
            }
            return null;
        });
    }

    @Override
    public Set<AclBinding> remove(Collection<AclBinding> bindings) {
        if (bindings.isEmpty()) {
            return Set.of();
        }
        List<AclBinding> distinct = List.copyOf(new LinkedHashSet<>(bindings));
        return db.transaction("delete ACLs", (c, sql) -> {
            Set<AclBinding> removed = new LinkedHashSet<>();
            for (int from = 0; from < distinct.size(); from += BATCH) {
                List<Row7<String, String, String, String, String, String, String>> rows = new ArrayList<>();
                for (AclBinding b : distinct.subList(from, Math.min(distinct.size(), from + BATCH))) {
                    rows.add(DSL.row(b.pattern().resourceType().name(), b.pattern().name(),
                            b.pattern().patternType().name(), b.entry().principal(), b.entry().host(),
                            b.entry().operation().name(), b.entry().permission().name()));
                }
                sql.deleteFrom(ACLS)
                        .where(DSL.row(ACLS.RESOURCE_TYPE, ACLS.RESOURCE_NAME, ACLS.PATTERN_TYPE, ACLS.PRINCIPAL,
                                ACLS.HOST, ACLS.OPERATION, ACLS.PERMISSION_TYPE).in(rows))
                        .returning(ACLS.RESOURCE_TYPE, ACLS.RESOURCE_NAME, ACLS.PATTERN_TYPE, ACLS.PRINCIPAL,
                                ACLS.HOST, ACLS.OPERATION, ACLS.PERMISSION_TYPE)
                        .fetch()
                        .forEach(r -> removed.add(binding(r.into(ACLS.RESOURCE_TYPE, ACLS.RESOURCE_NAME,
                                ACLS.PATTERN_TYPE, ACLS.PRINCIPAL, ACLS.HOST, ACLS.OPERATION, ACLS.PERMISSION_TYPE))));
            }
            return removed;
        });
    }

    private static long readVersion(DSLContext sql) {
        return sql.select(ACL_VERSION.VERSION).from(ACL_VERSION).fetchSingle().value1();
    }

    private static AclBinding binding(Record7<String, String, String, String, String, String, String> r) {
        return new AclBinding(
                new ResourcePattern(ResourceType.valueOf(r.value1()), r.value2(), PatternType.valueOf(r.value3())),
                new AccessControlEntry(r.value4(), r.value5(), AclOperation.valueOf(r.value6()),
                        AclPermissionType.valueOf(r.value7())));
    }
}
