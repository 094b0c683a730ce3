/*
 * Unit tests of cgi/lib/facility.c: the identity key that finds a
 * facility again (tax code first, else folded name + unit).
 */
#include "kc_test.h"

#include "facility.h"

static void
test_ident(void **state)
{
	struct arena	*a = *state;

	assert_string_equal(facility_ident(a, "3000123455", "Cơ sở Mộc", "18073"),
	    "tax:3000123455");
	assert_string_equal(facility_ident(a, "3000123455-001", NULL, NULL),
	    "tax:3000123455-001");
	assert_string_equal(facility_ident(a, NULL, "Cơ sở  Mộc Đức Hà", "18073"),
	    "name:co so moc duc ha|18073");
	assert_string_equal(facility_ident(a, "", "CO SO MOC DUC HA", "18073"),
	    "name:co so moc duc ha|18073");
	assert_string_not_equal(facility_ident(a, NULL, "Cơ sở Mộc", "18073"),
	    facility_ident(a, NULL, "Cơ sở Mộc", "18100"));
	assert_null(facility_ident(a, NULL, NULL, "18073"));
	assert_null(facility_ident(a, NULL, "   ", "18073"));
	assert_null(facility_ident(a, NULL, "\xff\xfe", "18073"));
}

KC_TEST_MAIN(test_ident)
