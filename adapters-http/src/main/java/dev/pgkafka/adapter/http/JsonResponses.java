package dev.pgkafka.adapter.http;

import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;

import dev.pgkafka.application.port.out.StorageUnavailableException;

/**
 * How the admin API answers: JSON bodies built with one shared factory, and every failure as
 * {@code {"error": CODE, "message": text}}, so API clients never parse Helidon's plain-text error pages.
 */
final class JsonResponses {
    private static final System.Logger LOG = System.getLogger(JsonResponses.class.getName());
    static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());

    private JsonResponses() {
    }

    static void register(HttpRouting.Builder routing) {
        // Helidon signals "no route" (404) and other protocol outcomes as HttpExceptions; keep their status
        routing.error(HttpException.class, JsonResponses::httpError)
                .error(StorageUnavailableException.class, JsonResponses::storageUnavailable)
                .error(Exception.class, JsonResponses::internalError);
    }

    static void send(ServerResponse res, Status status, String error, String message) {
        res.status(status).send(body(error, message));
    }

    static JsonObject body(String error, String message) {
        return JSON.createObjectBuilder()
                .add("error", error)
                .add("message", message == null ? "" : message)
                .build();
    }

    private static void httpError(ServerRequest req, ServerResponse res, HttpException e) {
        Status status = e.status();
        if (status.family() == Status.Family.SERVER_ERROR) {
            LOG.log(Level.ERROR, "HTTP admin " + describe(req) + " failed", e);
        }
        String message = status.code() == Status.NOT_FOUND_404.code() ? "No resource at " + describe(req)
                : Secrets.masked(e.getMessage());
        send(res, status, codeOf(status), message);
    }

    /**
     * The storage is down, restarting or out of disk space: 503 with Retry-After, like the readiness probe,
     * and quietly (the storage adapter reports the outage once, not once per request).
     */
    private static void storageUnavailable(ServerRequest req, ServerResponse res, StorageUnavailableException e) {
        LOG.log(Level.DEBUG, "HTTP admin {0}: the storage is {1}", describe(req), e.reason().text());
        res.header(HeaderNames.RETRY_AFTER, "5");
        send(res, Status.SERVICE_UNAVAILABLE_503, "STORAGE_UNAVAILABLE", "The storage is " + e.reason().text()
                + "; retry later");
    }

    private static void internalError(ServerRequest req, ServerResponse res, Exception e) {
        LOG.log(Level.ERROR, "HTTP admin " + describe(req) + " failed", e);
        // storage errors can quote a connection URL; its password is not for API clients
        send(res, Status.INTERNAL_SERVER_ERROR_500, "INTERNAL_ERROR", Secrets.masked(String.valueOf(e.getMessage())));
    }

    /** Method and full path; from the prologue, since a request no route matched has no routed path. */
    private static String describe(ServerRequest req) {
        return req.prologue().method().text() + " " + req.prologue().uriPath().path();
    }

    /** "Not Found" becomes NOT_FOUND, "Method Not Allowed" METHOD_NOT_ALLOWED. */
    private static String codeOf(Status status) {
        return status.reasonPhrase().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
    }
}
