/*
 * kc-staff: the staff console's API. Sign-in (/api/auth/...), and under
 * /api/admin/: users (admin), calls and the application review queue
 * (reviewer) with their status tokens and the applicants' messages
 * (the outbox: admin, reviewer), the plan's budget and its money lines (finance), the audit
 * trail (auditor). Admin may do everything; auditors read everything.
 *
 * Every route but login goes through auth_guard (session cookie, role,
 * CSRF token on state-changing requests). Every change is made in one
 * transaction that also writes its audit_log row (who, when, IP, entity,
 * before and after as JSON). One file per resource; see staff.h.
 */
#include <stddef.h>

#include "app.h"
#include "auth.h"
#include "staff.h"

static const struct route *const tables[] = {
	staff_sessions_routes,
	staff_users_routes,
	staff_calls_routes,
	staff_applications_routes,
	staff_review_routes,
	staff_tokens_routes,
	staff_outbox_routes,
	staff_plans_routes,
	staff_decision_routes,
	staff_activities_routes,
	staff_lines_routes,
	staff_facilities_routes,
	staff_audit_routes,
	staff_curate_routes,
	staff_undo_routes,
	staff_correct_routes,
	staff_fmerge_routes,
	NULL
};

int
main(void)
{
	static const struct app app = {
		.name = "kc-staff", .db_user = "kc_staff",
		.tables = tables, .causal = 1,
		.guard = auth_guard,
	};

	if (auth_init() < 0)
		return 1;
	return app_main(&app);
}
