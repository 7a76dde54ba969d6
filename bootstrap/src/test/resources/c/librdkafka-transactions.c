/*
 * librdkafka transactions against the broker: commit, abort (flushed first, else librdkafka purges
 * the unsent record), a second instance that fences the first, then what read_committed and
 * read_uncommitted consumers see of partition 0.
 * Usage: librdkafka-transactions <bootstrap> <topic> <transactional id>
 */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fail(const char *what, rd_kafka_error_t *error) {
    fprintf(stderr, "%s: %s\n", what, rd_kafka_error_string(error));
    exit(1);
}

static rd_kafka_t *transactional_producer(const char *bootstrap, const char *transactional_id) {
    char err[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, err, sizeof err);
    rd_kafka_conf_set(conf, "transactional.id", transactional_id, err, sizeof err);
    rd_kafka_t *producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (!producer) {
        fprintf(stderr, "producer: %s\n", err);
        exit(1);
    }
    rd_kafka_error_t *error = rd_kafka_init_transactions(producer, 20000);
    if (error) fail("init_transactions", error);
    return producer;
}

static void transaction(rd_kafka_t *producer, const char *topic, const char *value, int commit) {
    rd_kafka_error_t *error = rd_kafka_begin_transaction(producer);
    if (error) fail("begin_transaction", error);
    rd_kafka_resp_err_t err = rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(0),
            RD_KAFKA_V_VALUE((void *) value, strlen(value)), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    if (err) {
        fprintf(stderr, "produce: %s\n", rd_kafka_err2str(err));
        exit(1);
    }
    rd_kafka_flush(producer, 20000);
    error = commit ? rd_kafka_commit_transaction(producer, 20000) : rd_kafka_abort_transaction(producer, 20000);
    if (error) fail(commit ? "commit_transaction" : "abort_transaction", error);
}

static void read_partition(const char *bootstrap, const char *topic, const char *isolation, int expected) {
    char err[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, err, sizeof err);
    rd_kafka_conf_set(conf, "group.id", isolation, err, sizeof err);
    rd_kafka_conf_set(conf, "isolation.level", isolation, err, sizeof err);
    rd_kafka_conf_set(conf, "enable.partition.eof", "true", err, sizeof err);
    rd_kafka_conf_set(conf, "enable.auto.commit", "false", err, sizeof err);
    rd_kafka_t *consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
    rd_kafka_topic_partition_list_t *partitions = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(partitions, topic, 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_assign(consumer, partitions);
    rd_kafka_topic_partition_list_destroy(partitions);
    printf("%s:", isolation);
    int seen = 0;
    for (int polls = 0; polls < 150; polls++) { /* at most 30 s */
        rd_kafka_message_t *m = rd_kafka_consumer_poll(consumer, 200);
        if (!m) continue;
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            rd_kafka_message_destroy(m);
            if (seen >= expected) break;
            continue;
        }
        if (m->err) printf(" error(%s)", rd_kafka_message_errstr(m));
        else {
            printf(" %lld=%.*s", (long long) m->offset, (int) m->len, (const char *) m->payload);
            seen++;
        }
        rd_kafka_message_destroy(m);
    }
    printf("\n");
    rd_kafka_consumer_close(consumer);
    rd_kafka_destroy(consumer);
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s <bootstrap> <topic> <transactional id>\n", argv[0]);
        return 2;
    }
    const char *bootstrap = argv[1], *topic = argv[2], *transactional_id = argv[3];
    rd_kafka_t *first = transactional_producer(bootstrap, transactional_id);
    transaction(first, topic, "committed-1", 1);
    transaction(first, topic, "aborted-1", 0);
    transaction(first, topic, "committed-2", 1);

    rd_kafka_t *second = transactional_producer(bootstrap, transactional_id); /* fences the first */
    transaction(second, topic, "committed-3", 1);
    rd_kafka_error_t *error = rd_kafka_begin_transaction(first);
    if (!error) {
        rd_kafka_producev(first, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(0), RD_KAFKA_V_VALUE("zombie", 6),
                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        error = rd_kafka_commit_transaction(first, 20000);
    }
    if (error) printf("zombie fenced=%d fatal=%d\n", rd_kafka_error_code(error) == RD_KAFKA_RESP_ERR__FENCED,
            rd_kafka_error_is_fatal(error));
    else printf("zombie committed\n");
    rd_kafka_destroy(second);

    read_partition(bootstrap, topic, "read_committed", 3);
    read_partition(bootstrap, topic, "read_uncommitted", 4);
    return 0;
}
