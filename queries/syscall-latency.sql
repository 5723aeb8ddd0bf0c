-- syscall-latency: log2 histogram of syscall latency, per syscall
--
-- Answers: how are the latencies of each system call distributed? Like
-- BCC's print_log2_hist: one row per power-of-two bucket of microseconds,
-- from the lowest to the highest non-empty bucket, with a bar of '*'
-- scaled so the fullest bucket of each syscall is 40 wide.
-- Columns: syscall; usecs (bucket range "lo -> hi"); count;
-- distribution. Syscalls are ordered by number of calls.
WITH
-- bucket counts made at import (syscall_hist): no scan of syscalls
hist AS (
	SELECT h.nr, h.bucket AS k, sum(h.calls) AS n
	FROM syscall_hist h
	JOIN processes p ON p.id = h.proc_id
	WHERE (:pid IS NULL OR h.pid = :pid)
		-- the thread's name at the time of the call (syscall_stats.comm)
		AND (:comm IS NULL OR coalesce(h.comm, p.comm) = :comm)
	GROUP BY h.nr, h.bucket
),
span AS (
	SELECT nr, min(k) AS kmin, max(k) AS kmax, max(n) AS nmax, sum(n) AS total
	FROM hist
	GROUP BY nr
)
-- every bucket from the lowest to the highest non-empty one (log2_buckets)
SELECT
	coalesce(n.name, 'nr_' || sp.nr) AS syscall,
	b.usecs,
	coalesce(h.n, 0) AS count,
	hb.bar AS distribution
FROM span sp
JOIN log2_buckets b ON b.k BETWEEN sp.kmin AND sp.kmax
LEFT JOIN hist h ON h.nr = sp.nr AND h.k = b.k
JOIN histogram_bars hb ON hb.width = coalesce(h.n, 0) * 40 / sp.nmax
LEFT JOIN syscall_names n ON n.nr = sp.nr
ORDER BY sp.total DESC, syscall, b.k;
