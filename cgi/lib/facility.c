/*
 * facility: the identity key of a facility. See facility.h.
 */
#include <string.h>

#include "arena.h"
#include "facility.h"
#include "text.h"

/*
 * The identity key of a facility: "tax:<tax code>" when it has a tax code
 * (the caller has validated it: 10 digits, or 10 + "-" + 3 for a branch),
 * else "name:<folded name>|<unit code>", the name folded by text_fold()
 * (case, spaces, diacritics and đ ignored), so that "Cơ sở Mộc Hà" typed
 * with or without diacritics in the same unit is the same facility.
 * Returns a string in the arena, or NULL when there is neither a tax code
 * nor a usable name, or the name is not valid UTF-8.
 */
char *
facility_ident(struct arena *a, const char *tax_code, const char *name,
    const char *unit_code)
{
	char	*fold;

	if (tax_code != NULL && *tax_code != '\0')
		return arena_printf(a, "tax:%s", tax_code);
	if (name == NULL || (fold = text_fold(a, name, strlen(name))) == NULL ||
	    *fold == '\0')
		return NULL;
	return arena_printf(a, "name:%s|%s", fold,
	    unit_code != NULL ? unit_code : "");
}
