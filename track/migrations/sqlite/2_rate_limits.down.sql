DROP TABLE refundkit_rate_limit;
