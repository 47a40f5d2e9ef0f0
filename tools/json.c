// SPDX-License-Identifier: MIT
/* A tiny streaming JSON writer (RFC 8259), enough for skiff's host tools. */
#include "tools/json.h"

#include <inttypes.h>

#define JSON_PRINTABLE_MIN 0x20 /* below: control characters (RFC 8259, 7) */
#define JSON_PRINTABLE_MAX 0x7e /* above: DEL and non-ASCII bytes, escaped as \u00XX */

/* Writes the comma a key or value needs after a sibling. */
static void separate(struct json *j)
{
	if (j->comma)
		fputc(',', j->out);
	j->comma = true;
}

void json_init(struct json *j, FILE *out)
{
	j->out = out;
	j->comma = false;
}

static void open_container(struct json *j, char c)
{
	separate(j);
	fputc(c, j->out);
	j->comma = false;
}

static void close_container(struct json *j, char c)
{
	fputc(c, j->out);
	j->comma = true;
}

void json_object_begin(struct json *j)
{
	open_container(j, '{');
}

void json_object_end(struct json *j)
{
	close_container(j, '}');
}

void json_array_begin(struct json *j)
{
	open_container(j, '[');
}

void json_array_end(struct json *j)
{
	close_container(j, ']');
}

static void put_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < JSON_PRINTABLE_MIN || c > JSON_PRINTABLE_MAX)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

void json_key(struct json *j, const char *key)
{
	separate(j);
	put_string(j->out, key);
	fputc(':', j->out);
	j->comma = false;
}

void json_string(struct json *j, const char *s)
{
	separate(j);
	put_string(j->out, s);
}

void json_int(struct json *j, long long v)
{
	separate(j);
	fprintf(j->out, "%lld", v);
}

void json_hex(struct json *j, uint64_t v)
{
	separate(j);
	fprintf(j->out, "\"0x%" PRIx64 "\"", v);
}
