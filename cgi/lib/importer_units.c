/*
 * importer_units: the administrative units of a run and the matching of
 * a row's district text against them (see importer_int.h). The units are
 * read once per run, split into district-level and commune-level ones;
 * award_unit_match() names the one a text means in a year, and a cache
 * keeps the answer per (year, text).
 */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "award.h"
#include "db.h"
#include "importer_int.h"

enum units_stmt { S_UNITS, S_UNITS__MAX };
static const char *const units_sql[] = {
	[S_UNITS] =
	    "SELECT id, code, name, kind, level, YEAR(valid_from),"
	    " YEAR(valid_to) FROM admin_unit WHERE level <> 'province'"
	    " ORDER BY id",
};
static struct db_set units_set = DB_SET("importer/units", units_sql);

/* Load the units once per run, split by level. 0 or a DB_E* code. */
int
imp_units(struct imp *im)
{
	struct db_res	*q;
	size_t		 n, k;
	struct award_unit *u;

	if ((q = db_squery(im->data, im->run, &units_set, S_UNITS,
	    DB_NOARGS)) == NULL)
		return db_last_error(im->data);
	n = q->rows;
	im->dunits = arena_alloc(im->run, (n + 1) * sizeof(*im->dunits));
	im->cunits = arena_alloc(im->run, (n + 1) * sizeof(*im->cunits));
	im->dids = arena_alloc(im->run, (n + 1) * sizeof(*im->dids));
	im->cids = arena_alloc(im->run, (n + 1) * sizeof(*im->cids));
	im->ndunits = im->ncunits = 0;
	while (db_next(q)) {
		if (strcmp(db_str(q, 4), "district") == 0) {
			k = im->ndunits++;
			u = &im->dunits[k];
			im->dids[k] = db_int(q, 0);
		} else {
			k = im->ncunits++;
			u = &im->cunits[k];
			im->cids[k] = db_int(q, 0);
		}
		u->code = db_str(q, 1);
		u->name = db_str(q, 2);
		u->kind = db_str(q, 3);
		u->valid_from_year = (int)db_int(q, 5);
		u->valid_to_year = (int)db_int(q, 6);
	}
	return 0;
}

/*
 * The unit named by text in year: district-level units first, then (if
 * none is called so) commune-level ones. Results are cached per (year,
 * text). 0 with *unit_id and *code, or -1 with e.
 */
int
imp_unit(struct imp *im, const char *text, int year, long long *unit_id,
    const char **code, struct award_error *e)
{
	struct unit_entry	*c = NULL;
	enum award_match	 m;
	size_t			 found = 0, len = strlen(text), h = 5381;
	const char		*p;

	if (len < sizeof(c->text)) {
		for (p = text; *p != '\0'; p++)
			h = h * 33 + (unsigned char)*p;
		h = (h * 33 + (size_t)year) % UNIT_CACHE;
		c = &im->ucache[h];
		if (c->used && c->year == year && strcmp(c->text, text) == 0)
			goto hit;
	}
	m = award_unit_match(im->batch, im->dunits, im->ndunits, text, year,
	    &found, e);
	if (m == AWARD_MATCH_ONE) {
		*unit_id = im->dids[found];
		*code = im->dunits[found].code;
	} else if (m == AWARD_MATCH_NONE) {
		m = award_unit_match(im->batch, im->cunits, im->ncunits, text,
		    year, &found, e);
		if (m == AWARD_MATCH_ONE) {
			*unit_id = im->cids[found];
			*code = im->cunits[found].code;
		}
	}
	if (c == NULL)
		return m == AWARD_MATCH_ONE ? 0 : -1;
	c->used = 1;
	c->year = year;
	memcpy(c->text, text, len + 1);
	c->result = m;
	if (m == AWARD_MATCH_ONE) {
		c->unit_id = *unit_id;
		c->code = *code;
	} else {
		snprintf(c->ecode, sizeof(c->ecode), "%s", e->code);
		snprintf(c->emsg, sizeof(c->emsg), "%s", e->message);
	}
hit:
	if (c->result == AWARD_MATCH_ONE) {
		*unit_id = c->unit_id;
		*code = c->code;
		return 0;
	}
	e->code = c->ecode;
	e->message = c->emsg;
	return -1;
}
