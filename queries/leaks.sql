-- leaks: fds a process opened and never closed
--
-- Answers: which fds did processes open themselves (open, socket, pipe,
-- dup, ...) and still hold when they exited or when the trace ended? fds
-- from the start-of-trace snapshot or inherited through fork are not the
-- process's doing and are left out; those closed by exec (O_CLOEXEC) are
-- not leaks.
-- Columns: pid, comm, fd, path; how (opening syscall); opened_s (seconds
-- since trace start); status ("open at exit" or "open at end of trace");
-- open_syscall_id (syscalls.id of the opening call).
SELECT
	p.pid,
	p.comm,
	f.fd,
	f.path,
	f.how,
	round((f.opened_ts - c.start_ts) / 1e9, 6) AS opened_s,
	CASE WHEN f.closed_how = 'exit' THEN 'open at exit' ELSE 'open at end of trace' END
		AS status,
	f.open_syscall_id
FROM fds f
CROSS JOIN trace_clock c
JOIN processes p ON p.id = f.proc_id
WHERE f.how NOT IN ('snapshot', 'inherited')
	AND (f.closed_how = 'exit' OR f.closed_ts IS NULL)
	AND (:pid IS NULL OR p.pid = :pid)
	AND (:comm IS NULL OR p.comm = :comm)
ORDER BY p.pid, p.id, f.fd;
