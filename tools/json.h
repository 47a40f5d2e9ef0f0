/* SPDX-License-Identifier: MIT */
/*
 * A tiny streaming JSON writer for host tools: compact output (no spaces), commas placed
 * automatically. Callers nest the calls correctly; nothing is checked.
 */
#ifndef SKIFF_TOOLS_JSON_H
#define SKIFF_TOOLS_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct json {
	FILE *out;
	bool comma; /* the next key or value follows a sibling */
};

/* json_init - start writing one JSON value to @out. */
void json_init(struct json *j, FILE *out);

void json_object_begin(struct json *j);
void json_object_end(struct json *j);
void json_array_begin(struct json *j);
void json_array_end(struct json *j);

/* json_key - the key of the next member of the current object. */
void json_key(struct json *j, const char *key);

/* json_string - a string: quotes, backslashes and bytes outside printable ASCII escaped. */
void json_string(struct json *j, const char *s);

/* json_int - a number. */
void json_int(struct json *j, long long v);

/* json_hex - an address as a string, "0xfed90000". */
void json_hex(struct json *j, uint64_t v);

#endif
