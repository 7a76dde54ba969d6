/** The HTTP admin API on Helidon SE. The only module that sees Helidon. */
module dev.pgkafka.adapter.http {
    // transitive: HttpAdminServer.start takes the application's use cases
    requires transitive dev.pgkafka.application;
    requires io.helidon.webserver;
    requires io.helidon.common.tls;
    requires io.helidon.http.media.jsonp;
    requires jakarta.json;

    exports dev.pgkafka.adapter.http;
}
