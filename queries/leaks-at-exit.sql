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
-- Also left out: a shell's fd on the script it runs, which it reads until
-- it exits (bash keeps it on fd 255, dash on 10 or above; script_fds, in
-- schema/45-script-fds.sql, says how they are told). The script's own fds
-- (`exec 7<"$0"`, also `exec 13<file` in bash) stay in.
-- Each such fd is a row of fds with closed_how = 'exit'.
-- comm, which --comm matches, is the name of the thread that opened the fd
-- at the time (fd_io.opened): a shell's fd left open across its exec of cat
-- is the shell's leak, not cat's.
-- Columns: comm, how (opening syscall), pattern, processes (how many left
-- such fds), fds; pid (the lowest of those processes), example (the first
-- of the group's paths in sort order).
SELECT
	coalesce(io.comm, p.comm) AS comm,
	f.how,
	fp.pattern,
	count(DISTINCT f.proc_id) AS processes,
	count(*) AS fds,
	min(p.pid) AS pid,
	min(f.path) AS example
FROM fd_io io
JOIN fds f ON f.id = io.fd_id
JOIN processes p ON p.id = f.proc_id
JOIN fd_patterns fp ON fp.id = f.id
WHERE io.opened
	AND f.closed_how = 'exit'
	AND f.how NOT IN ('snapshot', 'inherited')
	AND f.fd > 2
	AND f.id NOT IN (SELECT id FROM script_fds)
	AND (:pid IS NULL OR p.pid = :pid)
	AND (:comm IS NULL OR coalesce(io.comm, p.comm) = :comm)
GROUP BY coalesce(io.comm, p.comm), f.how, fp.pattern
ORDER BY fds DESC, processes DESC, comm, f.how, fp.pattern;
