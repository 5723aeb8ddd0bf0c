-- top-syscalls: system calls by count, with errors and latency
--
-- Answers: which system calls were made most, how often did they fail and
-- how long did they take? With --pid or --comm, one row per process,
-- name and syscall; otherwise one row per syscall over the whole trace.
-- --comm matches the name the calling thread had at the time of each call
-- (a shell's calls before it exec'd ls are sh's, not ls's).
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
	CASE WHEN :pid IS NULL AND :comm IS NULL THEN NULL ELSE coalesce(s.comm, p.comm) END
		AS comm,
	sum(s.calls) AS count,
	sum(s.errors) AS errors,
	round(sum(s.lat_sum_ns) / 1e3, 3) AS total_us,
	round(CAST(sum(s.lat_sum_ns) AS REAL) / sum(s.lat_calls) / 1e3, 3) AS avg_us,
	round(max(s.lat_max_ns) / 1e3, 3) AS max_us
FROM syscall_stats s
JOIN processes p ON p.id = s.proc_id
LEFT JOIN syscall_names n ON n.nr = s.nr
WHERE (:pid IS NULL OR s.pid = :pid)
	-- a name unknown at the time (no process group): the last known one
	AND (:comm IS NULL OR coalesce(s.comm, p.comm) = :comm)
GROUP BY s.nr, CASE WHEN :pid IS NULL AND :comm IS NULL THEN 0 ELSE p.id END,
	CASE WHEN :pid IS NULL AND :comm IS NULL THEN NULL ELSE coalesce(s.comm, p.comm) END
ORDER BY count DESC, syscall, pid;
