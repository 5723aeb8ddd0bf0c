-- leaks-at-exit: fds processes left open at exit (stdio aside), by command, call and path pattern
--
-- Answers: which fds did processes open themselves (open, socket, pipe,
-- dup, ...) and leave for the kernel to close at exit? Not a growing
-- resource (see leaks for that) but a missing close, grouped like BCC's
-- memleak: by command name, opening syscall and path pattern (fd_patterns),
-- most fds first. Left out: fds from the start-of-trace snapshot or
-- inherited through fork (not the process's doing), those closed by exec
-- (O_CLOEXEC), and fds 0-2, where a shell dup2s pipes and files before
-- exec: stdio redirections, which the kernel closes at exit by design.
-- Each such fd is a row of fds with closed_how = 'exit'.
-- Columns: comm, how (opening syscall), pattern, processes (how many left
-- such fds), fds; pid (the lowest of those processes), example (the first
-- of the group's paths in sort order).
SELECT
	p.comm,
	f.how,
	fp.pattern,
	count(DISTINCT f.proc_id) AS processes,
	count(*) AS fds,
	min(p.pid) AS pid,
	min(f.path) AS example
FROM fds f
JOIN processes p ON p.id = f.proc_id
JOIN fd_patterns fp ON fp.id = f.id
WHERE f.closed_how = 'exit'
	AND f.how NOT IN ('snapshot', 'inherited')
	AND f.fd > 2
	AND (:pid IS NULL OR p.pid = :pid)
	AND (:comm IS NULL OR p.comm = :comm)
GROUP BY p.comm, f.how, fp.pattern
ORDER BY fds DESC, processes DESC, p.comm, f.how, fp.pattern;
