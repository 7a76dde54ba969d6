package dev.pgkafka.adapter.postgres.quota;

import static dev.pgkafka.adapter.postgres.schema.Tables.CLIENT_QUOTAS;
import static dev.pgkafka.adapter.postgres.schema.Tables.CLIENT_QUOTA_VERSION;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStep8;
import org.jooq.Record8;
import org.jooq.impl.DSL;

import dev.pgkafka.adapter.postgres.jdbc.Database;
import dev.pgkafka.adapter.postgres.schema.tables.records.ClientQuotasRecord;
import dev.pgkafka.application.port.out.ClientQuotaStorePort;
import dev.pgkafka.domain.quota.ClientQuotas;
import dev.pgkafka.domain.quota.QuotaEntity;
import dev.pgkafka.domain.quota.QuotaEntityType;
import dev.pgkafka.domain.quota.QuotaKey;

/**
 * Client quotas in {@code kafka.client_quotas}, one row per entity and key (a default is a true
 * {@code *_default} column without a name); the counter in {@code kafka.client_quota_version} is moved
 * by the table's triggers, so every change counts, whoever makes it.
 */
public final class PostgresClientQuotaStore implements ClientQuotaStorePort {
    private final Database db;

    public PostgresClientQuotaStore(Database db) {
        this.db = db;
    }

    @Override
    public Snapshot load() {
        return db.readOnly("load the client quotas", (c, sql) -> {
            // the counter first: rows read after it are at least as new, so no change can be missed
            long version = readVersion(sql);
            List<ClientQuotas.Value> values = new ArrayList<>();
            sql.select(CLIENT_QUOTAS.USER_NAME, CLIENT_QUOTAS.USER_DEFAULT, CLIENT_QUOTAS.CLIENT_ID,
                            CLIENT_QUOTAS.CLIENT_ID_DEFAULT, CLIENT_QUOTAS.IP, CLIENT_QUOTAS.IP_DEFAULT,
                            CLIENT_QUOTAS.QUOTA_KEY, CLIENT_QUOTAS.VALUE)
                    .from(CLIENT_QUOTAS)
                    .fetch()
                    .forEach(r -> values.add(value(r)));
            return new Snapshot(version, ClientQuotas.ofValues(values));
        });
    }

    @Override
    public long version() {
        return db.autoCommit("read the client quota version", (c, sql) -> readVersion(sql));
    }

    @Override
    public void apply(Map<QuotaEntity, Map<QuotaKey, Double>> changes) {
        if (changes.isEmpty()) {
            return;
        }
        db.transaction("store client quotas", (c, sql) -> {
            // one change at a time across brokers: a key removed and stored again never meets another's copy
            sql.selectOne().from(CLIENT_QUOTA_VERSION).forUpdate().fetch();
            for (Map.Entry<QuotaEntity, Map<QuotaKey, Double>> change : changes.entrySet()) {
                QuotaEntity entity = change.getKey();
                List<String> keys = change.getValue().keySet().stream().map(QuotaKey::kafkaName).toList();
                sql.deleteFrom(CLIENT_QUOTAS).where(sameEntity(entity)).and(CLIENT_QUOTAS.QUOTA_KEY.in(keys)).execute();
                InsertValuesStep8<ClientQuotasRecord, String, Boolean, String, Boolean, String, Boolean, String, Double>
                        insert = sql.insertInto(CLIENT_QUOTAS, CLIENT_QUOTAS.USER_NAME, CLIENT_QUOTAS.USER_DEFAULT,
                        CLIENT_QUOTAS.CLIENT_ID, CLIENT_QUOTAS.CLIENT_ID_DEFAULT, CLIENT_QUOTAS.IP,
                        CLIENT_QUOTAS.IP_DEFAULT, CLIENT_QUOTAS.QUOTA_KEY, CLIENT_QUOTAS.VALUE);
                boolean any = false;
                for (Map.Entry<QuotaKey, Double> v : change.getValue().entrySet()) {
                    if (v.getValue() != null) {
                        insert = insert.values(name(entity, QuotaEntityType.USER), isDefault(entity, QuotaEntityType.USER),
                                name(entity, QuotaEntityType.CLIENT_ID), isDefault(entity, QuotaEntityType.CLIENT_ID),
                                name(entity, QuotaEntityType.IP), isDefault(entity, QuotaEntityType.IP),
                                v.getKey().kafkaName(), v.getValue());
                        any = true;
                    }
                }
                if (any) {
                    insert.execute();
                }
            }
            return null;
        });
    }

    /** The entity's rows, written as the unique index is, so the index finds them. */
    private static Condition sameEntity(QuotaEntity entity) {
        return part(CLIENT_QUOTAS.USER_NAME, CLIENT_QUOTAS.USER_DEFAULT, entity, QuotaEntityType.USER)
                .and(part(CLIENT_QUOTAS.CLIENT_ID, CLIENT_QUOTAS.CLIENT_ID_DEFAULT, entity, QuotaEntityType.CLIENT_ID))
                .and(part(CLIENT_QUOTAS.IP, CLIENT_QUOTAS.IP_DEFAULT, entity, QuotaEntityType.IP));
    }

    private static Condition part(Field<String> name, Field<Boolean> dflt, QuotaEntity entity, QuotaEntityType type) {
        String value = name(entity, type);
        return DSL.coalesce(name, "").eq(value == null ? "" : value).and(dflt.eq(isDefault(entity, type)));
    }

    private static String name(QuotaEntity entity, QuotaEntityType type) {
        return entity.has(type) ? entity.name(type) : null;
    }

    private static boolean isDefault(QuotaEntity entity, QuotaEntityType type) {
        return entity.has(type) && entity.name(type) == null;
    }

    private static long readVersion(DSLContext sql) {
        return sql.select(CLIENT_QUOTA_VERSION.VERSION).from(CLIENT_QUOTA_VERSION).fetchSingle().value1();
    }

    private static ClientQuotas.Value value(Record8<String, Boolean, String, Boolean, String, Boolean, String, Double> r) {
        EnumMap<QuotaEntityType, String> names = new EnumMap<>(QuotaEntityType.class);
        put(names, QuotaEntityType.USER, r.value1(), r.value2());
        put(names, QuotaEntityType.CLIENT_ID, r.value3(), r.value4());
        put(names, QuotaEntityType.IP, r.value5(), r.value6());
        return new ClientQuotas.Value(new QuotaEntity(names), QuotaKey.fromKafkaName(r.value7()).orElseThrow(), r.value8());
    }

    private static void put(EnumMap<QuotaEntityType, String> names, QuotaEntityType type, String name, boolean dflt) {
        if (dflt) {
            names.put(type, null);
        } else if (name != null) {
            names.put(type, name);
        }
    }
}
