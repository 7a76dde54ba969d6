/**
 * The Kafka protocol listener. The only module that sees Kafka's protocol classes
 * (kafka-clients' generated request/response messages), which stay inside it.
 */
module dev.pgkafka.adapter.kafka {
    requires transitive dev.pgkafka.application;
    requires kafka.clients;
    requires org.slf4j;
    requires com.github.luben.zstd_jni;
    requires org.xerial.snappy;
    requires org.lz4.java;
    requires re2j;

    exports dev.pgkafka.adapter.kafka;
    exports dev.pgkafka.adapter.kafka.listener;
    exports dev.pgkafka.adapter.kafka.record;
    exports dev.pgkafka.adapter.kafka.regex;
}
