package dev.pgkafka.adapter.http;

import dev.pgkafka.application.port.in.ClusterUseCase;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** Which cluster and node this broker is, as clients see them in Metadata. */
final class ClusterResource implements HttpService {
    private final ClusterUseCase cluster;

    ClusterResource(ClusterUseCase cluster) {
        this.cluster = cluster;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::describe);
    }

    private void describe(ServerRequest req, ServerResponse res) {
        res.send(JsonResponses.JSON.createObjectBuilder()
                .add("clusterId", cluster.clusterId())
                .add("nodeId", cluster.nodeId())
                .build());
    }
}
