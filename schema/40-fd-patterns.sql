-- fd_patterns: each fds row's path folded into a pattern, so that fds which
-- differ only in a unique part (a temporary file's name, an inode, a port)
-- fall into one group; the leak reports count fds per pattern.
--
-- pattern, from fds.path:
--   absolute path: its directory as it is, then '*', then the file's
--     extension (from the name's last '.', kept when that dot does not
--     start the name and the extension holds no digit):
--     /var/log/app-2.log -> /var/log/*.log, /tmp/cc1.o -> /tmp/*.o,
--     /home/u/.bashrc -> /home/u/*, /tmp/core.123 -> /tmp/*
--   anything else (pipes, sockets, anon fds, relative paths): the kind,
--     i.e. the text before the first space with each run of digits made
--     '*', then ' *' when a space followed: pipe:[4101] -> pipe:[*],
--     socket:inet -> socket:inet, tcp 127.0.0.1:1->127.0.0.1:2 -> tcp *
--   NULL when the path is unknown.
CREATE VIEW fd_patterns AS
SELECT id,
	coalesce(dir,
	-- digit runs to '*': each digit to char(1), runs of up to 64 of those
	-- halved to one (6 passes), char(1) to '*'
	replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
	replace(replace(replace(replace(replace(replace(replace(
		kind, '0', char(1)), '1', char(1)), '2', char(1)), '3', char(1)),
		'4', char(1)), '5', char(1)), '6', char(1)), '7', char(1)),
		'8', char(1)), '9', char(1)),
		char(1, 1), char(1)), char(1, 1), char(1)), char(1, 1), char(1)),
		char(1, 1), char(1)), char(1, 1), char(1)), char(1, 1), char(1)),
		char(1), '*')) || tail AS pattern
FROM (
	SELECT id, dir, kind,
		CASE
		WHEN dir IS NULL THEN CASE WHEN kind <> path THEN ' *' ELSE '' END
		WHEN length(stem) > 1 AND substr(name, length(stem)) NOT GLOB '*[0-9]*'
			THEN '*' || substr(name, length(stem))
		ELSE '*'
		END AS tail
	FROM (
		-- stem: the name up to its last '.' ('' without one)
		SELECT id, path, dir, kind, name, rtrim(name, replace(name, '.', '')) AS stem
		FROM (
			-- dir: an absolute path up to its last '/'; name: the rest
			SELECT id, path, dir, substr(path, length(dir) + 1) AS name,
				CASE WHEN instr(path, ' ') THEN substr(path, 1, instr(path, ' ') - 1)
				ELSE path END AS kind
			FROM (
				SELECT id, path,
					CASE WHEN path GLOB '/*'
						THEN rtrim(path, replace(path, '/', '')) END AS dir
				FROM fds))));
