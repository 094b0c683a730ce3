/*
 * libFuzzer target: one award-list file's bytes through the import
 * pipeline as kc-import runs it before the database: encoding detection,
 * CSV parsing, header matching, line kinds, row parsing and unit matching.
 */
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "award.h"
#include "csvin.h"

/* The units district names are matched against, as the unit tests. */
#include "../unit/award_units.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena		*a = arena_new(), *fa = arena_new();
	struct csvin		*in = NULL;
	struct csvin_record	*rec;
	struct csvin_opts	 opts = { NULL, 0, 0, 10000 };
	struct award_header	 h;
	struct award_row	 row;
	struct award_error	 err;
	enum award_col		 col;
	size_t			 found;
	int			 rc, have_header = 0;

	if (csvin_open_mem(&in, data, size, &opts) != CSVIN_OK)
		goto out;
	for (;;) {
		rc = csvin_next(in, &rec);
		if (rc == CSVIN_END || rc >= CSVIN_EFIELDLEN)
			break;
		if (rc != CSVIN_OK)
			continue;
		if (award_line_kind(a, rec->fields, rec->nfields) !=
		    AWARD_LINE_DATA)
			continue;
		if (!have_header) {
			have_header = award_header_parse(fa, rec->fields,
			    rec->nfields, &h) == 1;
			continue;
		}
		if (award_row_parse(a, &h, rec->fields, rec->nfields, 2026,
		    &row, &col, &err) == 0 && row.district != NULL)
			award_unit_match(a, ha_tinh_units, HA_TINH_NUNITS,
			    row.district, row.year, &found, &err);
		arena_reset(a);
	}
out:
	csvin_close(in);
	arena_free(a);
	arena_free(fa);
	return 0;
}
