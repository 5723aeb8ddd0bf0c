-- What the latency histograms share (syscall-latency, biolatency,
-- runqlat): BCC's print_log2_hist buckets and bars.

-- log2_buckets: bucket k holds lo..hi microseconds: k = 0 holds 0..1,
-- k >= 1 holds 2^k .. 2^(k+1) - 1, up to k = 45 (as syscall_hist counts
-- them). The bucket of a latency of US microseconds (truncated) is the
-- last one starting at or below it, one seek:
--   (SELECT k FROM log2_buckets WHERE lo <= US ORDER BY lo DESC LIMIT 1)
CREATE TABLE log2_buckets (
	lo INTEGER PRIMARY KEY,
	k INTEGER NOT NULL UNIQUE,
	hi INTEGER NOT NULL,
	usecs TEXT NOT NULL -- the reports' label: "lo -> hi"
);
WITH RECURSIVE b(k, lo, hi) AS (
	SELECT 0, 0, 1
	UNION ALL
	SELECT k + 1, hi + 1, 2 * (hi + 1) - 1 FROM b WHERE k < 45
)
INSERT INTO log2_buckets SELECT lo, k, hi, lo || ' -> ' || hi FROM b;

-- histogram_bars: the distribution column of a bucket, its count scaled
-- so that the fullest bucket of a histogram is 40 wide: width '*' padded
-- to 40, between '|'.
CREATE TABLE histogram_bars (
	width INTEGER PRIMARY KEY, -- 0..40
	bar TEXT NOT NULL
);
WITH RECURSIVE w(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM w WHERE n < 40)
INSERT INTO histogram_bars
SELECT n, '|' || substr('****************************************', 1, n)
	|| substr('                                        ', 1, 40 - n) || '|'
FROM w;
