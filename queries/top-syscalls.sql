-- top-syscalls: system calls by count, with errors and latency
--
-- Answers: which system calls were made most, how often did they fail and
-- how long did they take? With --pid or --comm, one row per process and
-- syscall; otherwise one row per syscall over the whole trace.
-- Columns: syscall; pid, comm (NULL without --pid/--comm, and then left
-- out of the table); count; errors (returned -1..-4095, i.e. -errno; never
-- for rt_sigreturn and brk, whose return is no error code: see
-- syscall_returns); total_us, avg_us, max_us: latency
-- from enter to exit in microseconds (calls that never returned, such as
-- exit_group, have none).
-- (From syscall_stats, summed at import: a few rows per process, not one
-- per call. avg over the calls with a latency, as avg(dur_ns) would.)
-- @hide-null table: pid, comm
SELECT
	coalesce(n.name, 'nr_' || s.nr) AS syscall,
	CASE WHEN :pid IS NULL AND :comm IS NULL THEN NULL ELSE p.pid END AS pid,
	CASE WHEN :pid IS NULL AND :comm IS NULL THEN NULL ELSE p.comm END AS comm,
	sum(s.calls) AS count,
	sum(s.errors) AS errors,
	round(sum(s.lat_sum_ns) / 1e3, 3) AS total_us,
	round(CAST(sum(s.lat_sum_ns) AS REAL) / sum(s.lat_calls) / 1e3, 3) AS avg_us,
	round(max(s.lat_max_ns) / 1e3, 3) AS max_us
FROM syscall_stats s
JOIN processes p ON p.id = s.proc_id
LEFT JOIN syscall_names n ON n.nr = s.nr
WHERE (:pid IS NULL OR s.pid = :pid)
	AND (:comm IS NULL OR p.comm = :comm)
GROUP BY s.nr, CASE WHEN :pid IS NULL AND :comm IS NULL THEN 0 ELSE p.id END
ORDER BY count DESC, syscall, pid;
