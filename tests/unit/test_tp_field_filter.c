// SPDX-License-Identifier: GPL-2.0-only
/*
 * Field filters compiled against a format (record/tp_field_filter.c): the
 * terms the BPF program gets (offset, size, signedness, the constant's 64
 * bits, a string's NUL), the bounds of each integer type, the canonical
 * text, and where a filter's "/.../" ends. The kernel's side and the
 * messages against real formats: tests/e2e_tp_filters.sh.
 */
#include <stdio.h>
#include <string.h>

#include "tp_field_filter.h"
#include "tracegen.h"

static const char fmt[] =
	"name: thing\nID: 900\nformat:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
	"\tfield:int sig;\toffset:8;\tsize:4;\tsigned:0;\n" /* the C type wins: signed */
	"\tfield:char comm[16];\toffset:12;\tsize:16;\tsigned:0;\n"
	"\tfield:u8 flag;\toffset:28;\tsize:1;\tsigned:0;\n"
	"\tfield:s16 delta;\toffset:30;\tsize:2;\tsigned:1;\n"
	"\tfield:long big;\toffset:32;\tsize:8;\tsigned:1;\n"
	"\tfield:u64 mask;\toffset:40;\tsize:8;\tsigned:0;\n"
	"\tfield:char name[64];\toffset:48;\tsize:64;\tsigned:0;\n"
	"\tfield:__u8 saddr[4];\toffset:112;\tsize:4;\tsigned:0;\n\n"
	"print fmt: \"sig=%d\", REC->sig\n";

static struct tp_format f;

/* Compile EXPR into OUT; the error message, or "" when it compiled. */
static const char *compile(const char *expr, struct tp_field_filter *out)
{
	static char err[TPFF_ERR_MAX];
	struct tpff_expr x;

	err[0] = 0;
	if (!tpff_parse(expr, &x, err, sizeof(err)))
		tpff_compile(&x, &f, out, err, sizeof(err));
	return err;
}

static void test_integers(void)
{
	struct tp_field_filter ff;
	const struct tp_term *t = ff.terms.t;

	CHECK_STR(compile("sig > -1 && flag == 255 || mask & 0x8000000000000000", &ff), "");
	CHECK(ff.nterms == 3);
	CHECK(t[0].off == 8 && t[0].size == 4 && t[0].op == TPO_GT && t[0].flags == TPT_SIGNED);
	CHECK(t[0].val == ~0ull); /* -1 as 64 bits, compared signed */
	CHECK(t[1].off == 28 && t[1].size == 1 && t[1].op == TPO_EQ && t[1].flags == 0);
	CHECK(t[1].val == 255);
	CHECK(t[2].off == 40 && t[2].size == 8 && t[2].op == TPO_AND && t[2].flags == TPT_OR);
	CHECK(t[2].val == 1ull << 63);
	CHECK_STR(ff.text, "sig > -1 && flag == 255 || mask & 0x8000000000000000");

	/* each type's bounds, both ends */
	CHECK_STR(compile("delta >= -32768 && delta <= 32767 && big < -9223372036854775808", &ff),
		  "");
	CHECK(t[2].val == 1ull << 63 && t[2].flags == TPT_SIGNED);
	CHECK_STR(compile("mask != 18446744073709551615 && flag < 0xff", &ff), "");
	CHECK(t[0].val == ~0ull && t[1].val == 255);
	CHECK_STR(ff.text, "mask != 18446744073709551615 && flag < 255");
	CHECK_STR(compile("flag == 256", &ff), "field 'flag': 256 out of range for u8 (0..255)");
	CHECK_STR(compile("delta == -32769", &ff),
		  "field 'delta': -32769 out of range for s16 (-32768..32767)");
	CHECK_STR(compile("big == 9223372036854775808", &ff),
		  "field 'big': 9223372036854775808 out of range for long "
		  "(-9223372036854775808..9223372036854775807)");
	CHECK_STR(compile("mask == 18446744073709551616", &ff),
		  "field 'mask': 18446744073709551616 out of range for u64 (0..18446744073709551615)");
	CHECK_STR(compile("delta & 0xffff", &ff), ""); /* a mask takes every bit */
	CHECK_STR(compile("delta & 0x10000", &ff),
		  "field 'delta': mask 0x10000 out of range for s16 (0..65535)");
	CHECK_STR(compile("sig == 010", &ff), ""); /* ten: no octal */
	CHECK(t[0].val == 10);
	CHECK_STR(compile("sig == 0x", &ff), "field 'sig': '0x' is not a number");
	CHECK_STR(compile("sig == -", &ff), "field 'sig': '-' is not a number");
	CHECK_STR(compile("sig == abc", &ff), "field 'sig': 'abc' is not a number");
}

static void test_strings(void)
{
	struct tp_field_filter ff;
	const struct tp_term *t = ff.terms.t;

	CHECK_STR(compile("comm == \"ngi\\\"nx\" && comm != \"123456789012345\"", &ff), "");
	CHECK(t[0].off == 12 && t[0].op == TPO_STR_EQ && t[0].size == 7);
	CHECK(!memcmp(t[0].str, "ngi\"nx\0", 7)); /* its NUL: not a prefix */
	CHECK(t[1].op == TPO_STR_NE && t[1].size == 16);
	CHECK_STR(ff.text, "comm == \"ngi\\\"nx\" && comm != \"123456789012345\"");
	/* a string that fills the field has no NUL there */
	CHECK_STR(compile("comm == \"1234567890123456\"", &ff), "");
	CHECK(t[0].size == 16 && !memcmp(t[0].str, "1234567890123456", 16));
	/* a wider field: up to TP_STR_MAX bytes compared, the NUL included */
	CHECK_STR(compile("name == \"1234567890123456789012345678901\"", &ff), "");
	CHECK(t[0].size == TP_STR_MAX);
	CHECK_STR(compile("name == \"12345678901234567890123456789012\"", &ff),
		  "field 'name': \"12345678901234567890123456789012\" is longer than 31 bytes, "
		  "the most compared");
	CHECK_STR(compile("saddr == \"x\"", &ff),
		  "field 'saddr' is __u8[4]: filters compare integer and char[N] fields only");
	CHECK_STR(compile("comm == \"", &ff), "unterminated string");
}

static void test_syntax(void)
{
	struct tp_field_filter ff;

	CHECK_STR(compile("  sig==1&&flag!=2||comm==\"x\"  ", &ff), "");
	CHECK_STR(ff.text, "sig == 1 && flag != 2 || comm == \"x\"");
	CHECK_STR(compile("sig == 1 && ", &ff), "expected a field name, not the end");
	CHECK_STR(compile("sig ! 1", &ff), "unexpected '!' at '! 1'");
	CHECK_STR(compile("sgi == 1", &ff), "unknown field 'sgi' (closest: sig, big, comm)");
	CHECK_STR(compile("common_type == 1", &ff),
		  "field 'common_type' is a common field: select tasks with -p, -c or -- COMMAND");
	CHECK_STR(compile(" ", &ff), "empty filter");
	/* eight terms, and not nine */
	CHECK_STR(compile("sig==1||sig==2||sig==3||sig==4||sig==5||sig==6||sig==7||sig==8", &ff),
		  "");
	CHECK(ff.nterms == TP_TERMS_MAX);
	CHECK_STR(compile("sig==1||sig==2||sig==3||sig==4||sig==5||sig==6||sig==7||sig==8||sig==9",
			  &ff),
		  "more than 8 comparisons");
}

static void test_span(void)
{
	CHECK(tpff_span("/sig == 1/,x") == 10);
	CHECK(tpff_span("/comm == \"a/,b\"/,x") == 16); /* '/' and ',' in a string */
	CHECK(tpff_span("/comm == \"a\\\"/\"/") == 16); /* an escaped quote */
	CHECK(tpff_span("/sig == 1") == 0);
	CHECK(tpff_span("/comm == \"a/") == 0);
}

int main(void)
{
	CHECK(tpf_parse(fmt, &f) == 0);
	test_integers();
	test_strings();
	test_syntax();
	test_span();
	printf("tp-field-filter: ok\n");
	return 0;
}
