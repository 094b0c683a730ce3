-- wrk reporter: one machine-readable line after the human summary.
-- RESULT <requests/s> <p99 ms> <p50 ms> <errors (non-2xx/3xx, socket)> <requests>
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %.1f %.3f %.3f %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(99) / 1000, latency:percentile(50) / 1000,
    e.status + e.connect + e.read + e.write + e.timeout, summary.requests))
end
