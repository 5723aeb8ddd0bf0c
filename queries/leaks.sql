-- leaks: live processes whose open fds grew during the trace, by opening call and path pattern
--
-- Answers: which processes, alive when the trace ended, hold more fds than
-- when the trace first saw them, and what are those fds? Like BCC's
-- memleak (outstanding allocations grouped by stack), the fds a process
-- opened during the trace and still held at its end are grouped by the
-- opening syscall and the path pattern (fd_patterns: file names, inodes
-- and ports folded), largest growth first. fds 0-2 are left
-- out of the groups: what lands there is a redirection of stdio, not an
-- accumulation. A running shell's fd on its script (script_fds, as in
-- leaks-at-exit) is left out of the counts and the groups: it holds one
-- from start to exit, whatever the script does. Processes that exited are
-- in leaks-at-exit.
-- comm, which --comm matches, is the process's name at the end of the
-- trace (processes.comm: its name now, as ps shows it), whatever name
-- opened each fd.
-- Columns: pid, comm; fds_start (open when the trace first saw the process:
-- from the /proc snapshot, or inherited at fork), fds_end (open at the end
-- of the trace), growth (fds_end - fds_start, > 0); how (opening syscall),
-- pattern, fds (opened during the trace, still open at its end, in this
-- group); first_s, last_s (seconds since trace start of the group's first
-- and last open); example (the first of its paths in sort order).
WITH counted AS (
	SELECT * FROM fds WHERE id NOT IN (SELECT id FROM script_fds)
), grown AS (
	SELECT f.proc_id,
		sum(f.how IN ('snapshot', 'inherited')) AS fds_start,
		sum(f.closed_ts IS NULL) AS fds_end
	FROM processes p
	JOIN counted f ON f.proc_id = p.id
	WHERE p.exit_ts IS NULL
		AND (:pid IS NULL OR p.pid = :pid)
		AND (:comm IS NULL OR p.comm = :comm)
	GROUP BY f.proc_id
	HAVING fds_end > fds_start
)
SELECT
	p.pid,
	p.comm,
	g.fds_start,
	g.fds_end,
	g.fds_end - g.fds_start AS growth,
	f.how,
	fp.pattern,
	count(*) AS fds,
	round((min(f.opened_ts) - c.start_ts) / 1e9, 6) AS first_s,
	round((max(f.opened_ts) - c.start_ts) / 1e9, 6) AS last_s,
	min(f.path) AS example
FROM grown g
CROSS JOIN trace_clock c
JOIN processes p ON p.id = g.proc_id
JOIN counted f ON f.proc_id = g.proc_id
JOIN fd_patterns fp ON fp.id = f.id
WHERE f.closed_ts IS NULL
	AND f.how NOT IN ('snapshot', 'inherited')
	AND f.fd > 2
GROUP BY g.proc_id, f.how, fp.pattern
ORDER BY growth DESC, p.pid, g.proc_id, fds DESC, f.how, fp.pattern;
