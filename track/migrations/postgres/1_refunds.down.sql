DROP TABLE refundkit_observation;
DROP TABLE refundkit_refund;
