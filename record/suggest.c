// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>

#include "suggest.h"

/* Levenshtein distance. */
static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int row[128], prev, tmp;

	if (lb >= sizeof(row) / sizeof(row[0]))
		return 1 << 20;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			int best = prev + (a[i - 1] != b[j - 1]);

			tmp = row[j];
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

void suggest_init(struct suggest *s, const char *want)
{
	memset(s, 0, sizeof(*s));
	s->want = want;
}

void suggest_add(struct suggest *s, const char *name)
{
	int d = distance(s->want, name), k;

	for (k = 0; k < s->n && d >= s->dist[k]; k++)
		;
	if (k == SUGGEST_N)
		return;
	if (s->n < SUGGEST_N)
		s->n++;
	memmove(&s->name[k + 1], &s->name[k], (s->n - 1 - k) * sizeof(s->name[0]));
	memmove(&s->dist[k + 1], &s->dist[k], (s->n - 1 - k) * sizeof(s->dist[0]));
	s->name[k] = name;
	s->dist[k] = d;
}

void suggest_list(const struct suggest *s, char *buf, size_t cap)
{
	size_t n = 0;

	if (cap)
		buf[0] = 0;
	for (int k = 0; k < s->n && n < cap; k++)
		n += (size_t)snprintf(buf + n, cap - n, "%s%s", k ? ", " : "", s->name[k]);
}
