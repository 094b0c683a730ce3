/*
 * facility: how a facility (cơ sở CN-TTCN) is found again. One facility
 * is one row of table facility, whoever creates it (an application, the
 * award importer); its `ident` column is the key built here.
 */
#ifndef KC_FACILITY_H
#define KC_FACILITY_H

struct arena;
struct req;
struct value;

char	*facility_ident(struct arena *, const char *tax_code,
	    const char *name, const char *unit_code);
int	 facility_unit_today(struct req *, const char *code, long long *id);

/*
 * The checks of a facility's form (struct field .check), the same for
 * the public application form and staff entering a paper application:
 * each returns NULL or the Vietnamese message, and writes the one normal
 * form that is stored (a tax code's digits, a phone number).
 */
const char	*facility_check_plain(struct req *, struct value *);
const char	*facility_check_kind(struct req *, struct value *);
const char	*facility_check_tax(struct req *, struct value *);
const char	*facility_check_phone(struct req *, struct value *);
const char	*facility_check_email(struct req *, struct value *);

#endif
