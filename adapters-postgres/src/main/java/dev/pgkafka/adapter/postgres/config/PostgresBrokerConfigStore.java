package dev.pgkafka.adapter.postgres.config;

import static dev.pgkafka.adapter.postgres.schema.Tables.BROKER_CONFIGS;

import java.util.HashMap;
import java.util.Map;

import dev.pgkafka.adapter.postgres.jdbc.Database;
import dev.pgkafka.application.port.out.BrokerConfigStorePort;

/** Dynamic broker configs in {@code kafka.broker_configs}, one row per layer and name. */
public final class PostgresBrokerConfigStore implements BrokerConfigStorePort {
    private final Database db;

    public PostgresBrokerConfigStore(Database db) {
        this.db = db;
    }

    @Override
    public Map<String, String> load(String layer) {
        return db.autoCommit("load broker configs", (c, sql) -> {
            Map<String, String> values = new HashMap<>();
            sql.select(BROKER_CONFIGS.NAME, BROKER_CONFIGS.VALUE)
                    .from(BROKER_CONFIGS)
                    .where(BROKER_CONFIGS.LAYER.eq(layer))
                    .fetch()
                    .forEach(r -> values.put(r.value1(), r.value2()));
            return values;
        });
    }

    @Override
    public void replace(String layer, Map<String, String> values) {
        db.transaction("store broker configs", (c, sql) -> {
            sql.deleteFrom(BROKER_CONFIGS).where(BROKER_CONFIGS.LAYER.eq(layer)).execute();
            for (Map.Entry<String, String> e : values.entrySet()) {
                sql.insertInto(BROKER_CONFIGS, BROKER_CONFIGS.LAYER, BROKER_CONFIGS.NAME, BROKER_CONFIGS.VALUE)
                        .values(layer, e.getKey(), e.getValue())
                        .execute();
            }
            return null;
        });
    }
}
