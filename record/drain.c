// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "drain.h"
#include "trace_format.h"

struct drain {
	struct ring_buffer *rb;
	int epfd; /* edge-triggered: woken per batch, not while data is pending */
	struct bf_writer *w;
	const uint32_t *sys_flags;
	uint64_t counts[GRP_MAX];
};

static int on_record(void *ctx, void *data, size_t size)
{
	struct drain *d = ctx;
	const struct ev_hdr *h = data;

	/* The kernel reserves the largest size and sets h.size to the used part. */
	if (size < sizeof(*h) || h->size < sizeof(*h) || h->size > size ||
	    h->type >= BF_EV_TYPE_END || !bf_rec_desc(h->type))
		return 0;
	d->counts[bf_rec_descs[h->type].group]++;
	if (h->type == EV_SYSCALL) {
		const struct ev_syscall *e = data;

		/* the files group: the SF_FILES subset of the syscalls */
		if ((uint32_t)e->nr < BPFREC_NR_SYSCALLS && (d->sys_flags[e->nr] & SF_FILES))
			d->counts[GRP_FILES]++;
	}
	return bf_writer_append(d->w, BF_BLK_EVENTS, data);
}

int drain_open(struct drain **dp, struct bpf_map *events, struct bf_writer *w,
	       const uint32_t *sys_flags)
{
	struct drain *d = calloc(1, sizeof(*d));

	if (!d)
		return -ENOMEM;
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
	int err;

	d->w = w;
	d->sys_flags = sys_flags;
	d->epfd = -1;
	d->rb = ring_buffer__new(bpf_map__fd(events), on_record, d, NULL);
	if (!d->rb)
		goto fail;
	/*
	 * libbpf's own epoll is level-triggered: it returns at once whenever
	 * any record is pending, so the recorder would spin at a few records
	 * per wakeup. Edge-triggered, it sleeps until the kernel side wakes it
	 * (a batch is full) or the timeout.
	 */
	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (d->epfd < 0 || epoll_ctl(d->epfd, EPOLL_CTL_ADD, bpf_map__fd(events), &ev))
		goto fail;
	*dp = d;
	return 0;
fail:
	err = -errno;
	drain_close(d);
	return err;
}

int drain_watch(struct drain *d, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN };

	return epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

int drain_poll(struct drain *d, int timeout_ms, const sigset_t *sigmask)
{
	struct epoll_event ev;
	int n, m;

	/* Empty the buffer before sleeping: the next wakeup needs a new batch. */
	n = ring_buffer__consume(d->rb);
	if (n < 0)
		return n;
	if (epoll_pwait(d->epfd, &ev, 1, timeout_ms, sigmask) < 0 && errno != EINTR)
		return -errno;
	m = ring_buffer__consume(d->rb);
	return m < 0 ? m : n + m;
}

int drain_all(struct drain *d)
{
	int n, total = 0;

	while ((n = ring_buffer__consume(d->rb)) > 0)
		total += n;
	return n < 0 ? n : total;
}

void drain_counts(const struct drain *d, uint64_t counts[GRP_MAX])
{
	for (int g = 0; g < GRP_MAX; g++)
		counts[g] = d->counts[g];
}

void drain_close(struct drain *d)
{
	if (!d)
		return;
	if (d->epfd >= 0)
		close(d->epfd);
	ring_buffer__free(d->rb);
	free(d);
}
