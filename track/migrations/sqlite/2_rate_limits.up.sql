-- Rate limits shared by every tracker on the database: one row per limited
-- provider, holding when its next request slot opens (microseconds since
-- the Unix epoch). See ratelimit.go.
CREATE TABLE refundkit_rate_limit (
    name    TEXT   PRIMARY KEY,
    next_at BIGINT NOT NULL
);
