// SPDX-License-Identifier: MIT
/* Hostile-guest mode: see GUEST_ATTACK() in guest.h and TEST_GUEST_ATTACK_PORT. */
#include "tests/guests/guest.h"
#include "vmm/test_guest_abi.h"

/* guest.ld: the table GUEST_ATTACK() fills. */
extern const struct guest_attack guest_attacks_start[], guest_attacks_end[];

bool attack_requested(char *name, unsigned int size)
{
	unsigned int n = 0;
	char c;

	while ((c = (char)in8(TEST_GUEST_ATTACK_PORT)) && n + 1 < size)
		name[n++] = c;
	name[n] = 0;
	return n > 0;
}

static bool same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

uint32_t attack_run(const char *name)
{
	for (const struct guest_attack *a = guest_attacks_start; a < guest_attacks_end; a++) {
		if (same(a->name, name)) {
			put("attack: ");
			put(name);
			put("\n");
			return a->run();
		}
	}
	put("attack: no attack named ");
	put(name);
	put("\n");
	return TEST_GUEST_FAIL_ATTACK_UNKNOWN;
}
