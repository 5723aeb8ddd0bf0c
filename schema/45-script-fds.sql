-- script_fds: the fds rows that are a shell's fd on the script it runs,
-- which it reads until it exits (bash keeps it on fd 255, dash on 10 or
-- above): the leak reports leave them out, the shell's own doing rather
-- than the script's. Such an fd is of 10 or above (where shells keep
-- their own, leaving 0-9 to the script, as POSIX has it), close-on-exec,
-- moved there (dup2, fcntl) from the process's own open of the path its
-- exec named (the filename, or an argument as given: `sh ./x.sh`,
-- `bash x.sh`). The script's own fds (`exec 7<"$0"`, also `exec 13<file`
-- in bash) are inheritable, and not in it.
CREATE VIEW script_fds AS
SELECT f.id
FROM fds f
WHERE f.fd >= 10 AND f.cloexec AND EXISTS (
	SELECT 1
	FROM fds o
	JOIN syscall_rows s ON s.id = o.open_syscall_id
	JOIN process_events e ON e.id = (
		SELECT x.id FROM process_events x
		WHERE x.proc_id = f.proc_id AND x.type = 'exec' AND x.ts <= o.opened_ts
		ORDER BY x.ts DESC LIMIT 1)
	WHERE o.id = f.src_id AND o.proc_id = f.proc_id
		AND (s.path = e.filename
			OR instr(' ' || e.args || ' ', ' ' || s.path || ' ') > 0));
