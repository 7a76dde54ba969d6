package dev.pgkafka.adapter.http;

import dev.pgkafka.application.port.in.HealthUseCase;
import dev.pgkafka.application.port.in.HealthUseCase.Health;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * Probes: {@code /health/live} answers while the process serves; {@code /health} and
 * {@code /health/ready} also need a storage round trip to succeed, else 503 so that a load
 * balancer or orchestrator stops sending traffic.
 *
 * <p>The probes need no credentials, even when the rest of the API does. Then an anonymous probe
 * learns only UP or DOWN; where the storage is and what failed (host names, database errors) is
 * shown to authenticated callers. A password inside that text is masked for everyone.
 */
final class HealthResource implements HttpService {
    private final HealthUseCase health;
    private final boolean detailsNeedAuthentication;

    HealthResource(HealthUseCase health, boolean detailsNeedAuthentication) {
        this.health = health;
        this.detailsNeedAuthentication = detailsNeedAuthentication;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::ready)
                .get("/ready", this::ready)
                .get("/live", this::live);
    }

    private void live(ServerRequest req, ServerResponse res) {
        res.send(JsonResponses.JSON.createObjectBuilder().add("status", "UP").build());
    }

    private void ready(ServerRequest req, ServerResponse res) {
        Health h = health.check();
        boolean details = !detailsNeedAuthentication || Caller.of(req).authenticated();
        res.status(h.storageReady() ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503).send(toJson(h, details));
    }

    private static JsonObject toJson(Health h, boolean details) {
        JsonObjectBuilder storage = JsonResponses.JSON.createObjectBuilder().add("ready", h.storageReady());
        if (details) {
            if (h.storage() != null) {
                storage.add("description", Secrets.masked(h.storage()));
            }
            if (h.storageLatencyMs() >= 0) {
                storage.add("latencyMs", h.storageLatencyMs());
            }
            if (h.problem() != null) {
                storage.add("problem", Secrets.masked(h.problem()));
            }
        }
        return JsonResponses.JSON.createObjectBuilder()
                .add("status", h.storageReady() ? "UP" : "DOWN")
                .add("storage", storage)
                .build();
    }
}
