// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "records.h"

#define REC_MAX 16384 /* also bounds the strings of one record */

uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

int rec_emit(struct bf_writer *w, int kind, const void *fixed, size_t fixed_len,
	     const char *const *strs, int nstrs)
{
	_Alignas(8) char buf[REC_MAX];
	struct ev_hdr *h = (struct ev_hdr *)buf;
	size_t len = fixed_len;

	memcpy(buf, fixed, fixed_len);
	for (int i = 0; i < nstrs; i++) {
		const char *s = strs[i] ? strs[i] : "";
		size_t room = REC_MAX - 8 - len - (nstrs - i); /* keep a NUL each */
		size_t n = strnlen(s, room);

		memcpy(buf + len, s, n);
		buf[len + n] = 0;
		len += n + 1;
	}
	h->size = bf_align8(len);
	memset(buf + len, 0, h->size - len);
	return bf_writer_append(w, kind, buf);
}

int rec_emit_kv(struct bf_writer *w, int kind, const char *key, const char *val)
{
	struct ev_hdr h = { .type = META_KV };
	const char *strs[] = { key, val };

	return rec_emit(w, kind, &h, sizeof(h), strs, 2);
}

int rec_emit_kv_u64(struct bf_writer *w, int kind, const char *key, uint64_t val)
{
	char s[24];

	snprintf(s, sizeof(s), "%" PRIu64, val);
	return rec_emit_kv(w, kind, key, s);
}
