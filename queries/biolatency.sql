-- biolatency: log2 histogram of block I/O latency, per device and operation
--
-- Answers: how long do block devices take to serve requests? Like BCC's
-- biolatency -D (with reads and writes apart): the time from a request's
-- issue to the driver (block:block_rq_issue) to its completion
-- (block:block_rq_complete), paired by device and sector: a completion
-- ends the issue just before it on that sector (a requeued request's last
-- issue). Completions with no issue in the trace (issued before it
-- started) and issues not completed by its end are left out; biosnoop
-- lists them. One row per power-of-two bucket of microseconds, from the
-- lowest to the highest non-empty bucket, a bar of '*' scaled so that the
-- fullest bucket of each device and operation is 40 wide.
-- --pid and --comm match the task the issue ran in (common_tgid, and comm
-- as the issue event gives it): the submitter, or a kworker that issued
-- for it.
-- Completions fire in interrupts and other tasks' context: record them
-- with @all.
-- Columns: device (major:minor); op (read, write, discard, flush or
-- other, from rwbs); usecs (bucket range "lo -> hi"); count; distribution.
-- Devices in number order, operations by name.
-- @needs block:block_rq_issue@all, block:block_rq_complete@all
WITH
ev AS (
	SELECT common_ts AS ts, dev, sector, 1 AS issue, rwbs, common_tgid, comm
	FROM tp_block_block_rq_issue
	UNION ALL
	SELECT common_ts, dev, sector, 0, rwbs, NULL, NULL
	FROM tp_block_block_rq_complete
),
-- each event with the one before it on its device and sector
seq AS (
	SELECT ev.*,
		lag(issue) OVER w AS prev_issue,
		lag(ts) OVER w AS prev_ts,
		lag(common_tgid) OVER w AS prev_tgid,
		lag(comm) OVER w AS prev_comm
	FROM ev
	-- an issue before a completion at the same time
	WINDOW w AS (PARTITION BY dev, sector ORDER BY ts, issue DESC)
),
hist AS (
	SELECT dev,
		CASE
		WHEN rwbs LIKE '%W%' THEN 'write'
		WHEN rwbs LIKE '%R%' THEN 'read'
		WHEN rwbs LIKE '%D%' THEN 'discard'
		WHEN rwbs LIKE 'F%' THEN 'flush'
		ELSE 'other'
		END AS op,
		(SELECT k FROM log2_buckets WHERE lo <= (ts - prev_ts) / 1000
			ORDER BY lo DESC LIMIT 1) AS k,
		count(*) AS n
	FROM seq
	WHERE NOT issue AND prev_issue
		AND (:pid IS NULL OR prev_tgid = :pid)
		AND (:comm IS NULL OR prev_comm = :comm)
	GROUP BY 1, 2, 3
),
span AS (
	SELECT dev, op, min(k) AS kmin, max(k) AS kmax, max(n) AS nmax
	FROM hist
	GROUP BY dev, op
)
-- every bucket from the lowest to the highest non-empty one (log2_buckets)
SELECT
	(sp.dev >> 20) || ':' || (sp.dev & 1048575) AS device,
	sp.op,
	b.usecs,
	coalesce(h.n, 0) AS count,
	hb.bar AS distribution
FROM span sp
JOIN log2_buckets b ON b.k BETWEEN sp.kmin AND sp.kmax
LEFT JOIN hist h ON h.dev = sp.dev AND h.op = sp.op AND h.k = b.k
JOIN histogram_bars hb ON hb.width = coalesce(h.n, 0) * 40 / sp.nmax
ORDER BY sp.dev, sp.op, b.k;
