/*
 * values: the code arrays of values.h's lists. See values.h.
 */
#include <string.h>

#include "values.h"

#define VALUES_CODE(id, code, label)	code,
const char *const values_call_kinds[] = { CALL_KINDS(VALUES_CODE) NULL };
const char *const values_app_statuses[] = { APP_STATUSES(VALUES_CODE) NULL };
const char *const values_award_levels[] = { AWARD_LEVELS(VALUES_CODE) NULL };
const char *const values_staff_roles[] = { STAFF_ROLES(VALUES_CODE) NULL };
const char *const values_activity_statuses[] = {
	ACTIVITY_STATUSES(VALUES_CODE) NULL
};
const char *const values_facility_kinds[] = {
	FACILITY_KINDS(VALUES_CODE) NULL
};
const char *const values_plan_statuses[] = {
	PLAN_STATUSES(VALUES_CODE) NULL
};

int
values_find(const char *const *list, const char *code)
{
	int	 i;

	if (code == NULL)
		return -1;
	for (i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], code) == 0)
			return i;
	return -1;
}
