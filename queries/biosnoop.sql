-- biosnoop: every block I/O request with its latency, like BCC biosnoop
--
-- Answers: which task issued which block I/O, where on which device, how
-- large, and how long did it take? One row per issue to the driver
-- (block:block_rq_issue), paired with its completion
-- (block:block_rq_complete) by device and sector: the completion after it
-- on that sector, unless another issue came first (a requeued request has
-- a row per issue, the last one with the latency). Issued before the
-- trace started: not listed (its issuer is unknown).
-- pid and comm are the task the issue ran in, as the event saw it
-- (common_tgid, and the event's comm): the submitter, or a kworker that
-- issued for it; --pid and --comm match them.
-- Completions fire in interrupts and other tasks' context: record them
-- with @all.
-- Columns: time (with -T/--timestamp only: wall clock of the issue, UTC,
-- HH:MM:SS.mmm); time_s (issue, seconds since trace start); comm; pid;
-- device (major:minor); rwbs (R read, W write, D discard, F flush/FUA,
-- S sync, A readahead, M metadata, N none); sector; bytes; lat_us (issue
-- to completion in microseconds; NULL: not completed in the trace).
-- @needs block:block_rq_issue@all, block:block_rq_complete@all
WITH
ev AS (
	SELECT common_ts AS ts, dev, sector, 1 AS issue, rwbs, common_tgid, comm, bytes
	FROM tp_block_block_rq_issue
	UNION ALL
	SELECT common_ts, dev, sector, 0, rwbs, NULL, NULL, NULL
	FROM tp_block_block_rq_complete
),
-- each issue with the event after it on its device and sector
seq AS (
	SELECT ev.*,
		lead(issue) OVER w AS next_issue,
		lead(ts) OVER w AS next_ts
	FROM ev
	-- an issue before a completion at the same time
	WINDOW w AS (PARTITION BY dev, sector ORDER BY ts, issue DESC)
)
SELECT
	CASE WHEN :timestamp THEN strftime('%H:%M:%S', (s.ts + c.realtime_offset_ns) / 1000000000,
		'unixepoch') || printf('.%03d', (s.ts + c.realtime_offset_ns) / 1000000 % 1000) END AS time,
	round((s.ts - c.start_ts) / 1e9, 6) AS time_s,
	s.comm,
	s.common_tgid AS pid,
	(s.dev >> 20) || ':' || (s.dev & 1048575) AS device,
	s.rwbs,
	s.sector,
	s.bytes,
	CASE WHEN s.next_issue = 0 THEN round((s.next_ts - s.ts) / 1e3, 3) END AS lat_us
FROM seq s
CROSS JOIN trace_clock c
WHERE s.issue
	AND (:pid IS NULL OR s.common_tgid = :pid)
	AND (:comm IS NULL OR s.comm = :comm)
ORDER BY s.ts, s.dev, s.sector;
