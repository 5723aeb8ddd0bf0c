/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Field filters of generic tracepoints, `record -e 'SYSTEM:EVENT/EXPR/'`:
 * EXPR parsed once (syntax), then compiled against each matching
 * tracepoint's format into the terms its BPF program evaluates
 * (struct tp_terms). EXPR is terms joined by && and ||, && first:
 *   FIELD OP NUMBER    an integer field; OP one of == != < <= > >=, or &
 *                      (any of the bits set); signed as the field's C type
 *   FIELD OP "STRING"  a char[N] field; OP == or !=
 * at most TP_TERMS_MAX terms.
 */
#ifndef BPFREC_TP_FIELD_FILTER_H
#define BPFREC_TP_FIELD_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "bpfrec.h"
#include "tp_format.h"

#define TPFF_VAL_MAX 64 /* a constant as written, or a string's bytes */
#define TPFF_TEXT_MAX 1024 /* the canonical text of a whole filter */
#define TPFF_ERR_MAX 512

/* A parsed term, not yet checked against a format. */
struct tpff_term {
	char field[TPF_NAME_MAX];
	uint8_t op; /* enum tp_op: TPO_EQ..TPO_AND, strings too */
	uint8_t is_or; /* joined to the previous term by || */
	uint8_t is_str; /* val is a string's bytes, else a number as written */
	char val[TPFF_VAL_MAX];
};

struct tpff_expr {
	int n;
	struct tpff_term t[TP_TERMS_MAX];
};

/* A filter compiled for one tracepoint. */
struct tp_field_filter {
	struct tp_terms terms;
	int nterms;
	char text[TPFF_TEXT_MAX]; /* canonical: what `analyze info` shows */
};

/*
 * The length of "/EXPR/" starting at S (S[0] == '/'), '/' and ',' inside
 * its strings included, or 0 when it has no closing '/'.
 */
size_t tpff_span(const char *s);

/* Parse EXPR (without its slashes). 0, or -1 with ERR set. */
int tpff_parse(const char *expr, struct tpff_expr *x, char *err, size_t errlen);

/*
 * Check X against the format F and compile it into OUT. 0, or -1 with ERR
 * naming the field (and, for an unknown one, the closest names).
 */
int tpff_compile(const struct tpff_expr *x, const struct tp_format *f, struct tp_field_filter *out,
		 char *err, size_t errlen);

#endif /* BPFREC_TP_FIELD_FILTER_H */
