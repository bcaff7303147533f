-- refundkit's tracker tables. Times are BIGINT microseconds since the Unix
-- epoch (UTC) and booleans are INTEGER 0/1, so the same columns work on
-- PostgreSQL; ids are the database's own row ids.
CREATE TABLE refundkit_refund (
    id                 INTEGER PRIMARY KEY,
    provider           TEXT    NOT NULL,
    refund_id          TEXT    NOT NULL,
    provider_refund_id TEXT    NOT NULL DEFAULT '',
    refund_request_id  TEXT    NOT NULL DEFAULT '',
    status             TEXT    NOT NULL DEFAULT '',
    provider_status    TEXT    NOT NULL DEFAULT '',
    amount             TEXT    NOT NULL DEFAULT '',
    currency           TEXT    NOT NULL DEFAULT '',
    verified           INTEGER NOT NULL DEFAULT 0,
    attempts           INTEGER NOT NULL DEFAULT 0,
    answers            INTEGER NOT NULL DEFAULT 0,
    not_found          INTEGER NOT NULL DEFAULT 0,
    errors_in_row      INTEGER NOT NULL DEFAULT 0,
    last_error         TEXT    NOT NULL DEFAULT '',
    added_at           BIGINT  NOT NULL,
    first_seen_at      BIGINT,
    last_seen_at       BIGINT,
    next_poll_at       BIGINT,
    final_at           BIGINT,
    stop_reason        TEXT    NOT NULL DEFAULT '',
    poll_gen           BIGINT  NOT NULL DEFAULT 0,
    UNIQUE (provider, refund_id, provider_refund_id)
);

CREATE INDEX refundkit_refund_status ON refundkit_refund (provider, status);
CREATE INDEX refundkit_refund_next_poll ON refundkit_refund (next_poll_at);

CREATE TABLE refundkit_observation (
    id              INTEGER PRIMARY KEY,
    refund          BIGINT  NOT NULL REFERENCES refundkit_refund (id),
    observed_at     BIGINT  NOT NULL,
    source          TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT '',
    provider_status TEXT    NOT NULL DEFAULT '',
    verified        INTEGER NOT NULL DEFAULT 0,
    amount          TEXT    NOT NULL DEFAULT '',
    currency        TEXT    NOT NULL DEFAULT '',
    error_category  TEXT    NOT NULL DEFAULT '',
    error_code      TEXT    NOT NULL DEFAULT '',
    duration_us     BIGINT  NOT NULL DEFAULT 0,
    previous_status TEXT    NOT NULL DEFAULT '',
    changed         INTEGER NOT NULL DEFAULT 0,
    raw             BLOB
);

CREATE INDEX refundkit_observation_refund ON refundkit_observation (refund, id);
