/*
 * facility: how a facility (cơ sở CN-TTCN) is found again. One facility
 * is one row of table facility, whoever creates it (an application, the
 * award importer); its `ident` column is the key built here.
 */
#ifndef KC_FACILITY_H
#define KC_FACILITY_H

struct arena;

char	*facility_ident(struct arena *, const char *tax_code,
	    const char *name, const char *unit_code);

#endif
