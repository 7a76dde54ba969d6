/**
 * The application hexagon: driving ports (use cases the adapters call), driven ports (the storage
 * SPI a storage adapter implements) and the services that connect them.
 */
module dev.pgkafka.application {
    requires transitive dev.pgkafka.domain;
    requires java.net.http; // the JWKS of an OAUTHBEARER identity provider

    exports dev.pgkafka.application.port.in;
    exports dev.pgkafka.application.port.out;
    exports dev.pgkafka.application.service;
    exports dev.pgkafka.application.service.group;
    exports dev.pgkafka.application.service.quota;
    exports dev.pgkafka.application.service.txn;
    exports dev.pgkafka.application.service.security;
    exports dev.pgkafka.application.service.security.oauth;
}
