// SPDX-License-Identifier: MIT
/* The guest platform's sleep and reset registers (see vplat_pm.h). */
#include "vmm/vplat/vplat_pm.h"

#include "kernel/bits.h"

#define ALL_ONES_BYTE 0xffu

void vplat_sleep_init(struct vplat_sleep *s)
{
	s->slp_typ = 0;
	s->refused = 0;
}

uint8_t vplat_sleep_read(const struct vplat_sleep *s, unsigned int offset)
{
	switch (offset) {
	case VPLAT_SLEEP_CONTROL:
		return (uint8_t)FIELD_PREP(ACPI_SLEEP_CONTROL_SLP_TYP_MASK, s->slp_typ);
	case VPLAT_SLEEP_STATUS:
		return 0;
	default:
		return ALL_ONES_BYTE;
	}
}

enum vplat_end vplat_sleep_write(struct vplat_sleep *s, unsigned int offset, uint8_t value)
{
	switch (offset) {
	case VPLAT_SLEEP_CONTROL:
		s->slp_typ = (uint8_t)FIELD_GET(ACPI_SLEEP_CONTROL_SLP_TYP_MASK, value);
		if (!(value & ACPI_SLEEP_CONTROL_SLP_EN))
			return VPLAT_END_NONE;
		if (s->slp_typ == ACPI_GUEST_S5_SLP_TYP)
			return VPLAT_END_POWER_OFF;
		s->refused++;
		return VPLAT_END_NONE;
	default: /* the status register: WAK_STS is already clear */
		return VPLAT_END_NONE;
	}
}

void vplat_reset_init(struct vplat_reset *r)
{
	r->rst_cnt = 0;
	r->value = 0;
}

uint8_t vplat_reset_read(const struct vplat_reset *r)
{
	return r->rst_cnt;
}

enum vplat_end vplat_reset_write(struct vplat_reset *r, uint8_t value)
{
	if (value & CF9_RST_CPU) {
		r->value = value;
		return VPLAT_END_RESET;
	}
	r->rst_cnt = value & CF9_KEPT;
	return VPLAT_END_NONE;
}

const char *vplat_end_name(enum vplat_end end)
{
	switch (end) {
	case VPLAT_END_NONE:
		return "none";
	case VPLAT_END_POWER_OFF:
		return "power off";
	case VPLAT_END_RESET:
		return "reset";
	default:
		return "?";
	}
}
