/**
 * Kafka semantics as plain Java: records and offsets, topics, producer sequences, server-side
 * partition assignors, groups, transactions, client quotas, and security (principals, ACLs, SCRAM, PLAIN and
 * OAUTHBEARER logins, JAAS configs, certificate principal mapping). Depends on the JDK only.
 */
module dev.pgkafka.domain {
    exports dev.pgkafka.domain.assignment;
    exports dev.pgkafka.domain.config;
    exports dev.pgkafka.domain.error;
    exports dev.pgkafka.domain.group;
    exports dev.pgkafka.domain.group.consumer;
    exports dev.pgkafka.domain.log;
    exports dev.pgkafka.domain.producer;
    exports dev.pgkafka.domain.quota;
    exports dev.pgkafka.domain.regex;
    exports dev.pgkafka.domain.security;
    exports dev.pgkafka.domain.security.acl;
    exports dev.pgkafka.domain.security.oauth;
    exports dev.pgkafka.domain.security.plain;
    exports dev.pgkafka.domain.security.scram;
    exports dev.pgkafka.domain.topic;
    exports dev.pgkafka.domain.txn;
}
