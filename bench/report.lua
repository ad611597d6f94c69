-- wrk script of the benchmark (bench/run.py): headers come from -H on the command line;
-- this only prints the figures as one JSON line that run.py reads back.
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p95_us": %d, '
      .. '"p99_us": %d, "max_us": %d, "mean_us": %.1f, "non_2xx_3xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    latency.mean, errors.status, errors.connect + errors.read + errors.write + errors.timeout
  ))
end
