/*
 * kc-dashboard: the public, read-only side of the plan: health, the
 * administrative units (places.c), the published plans (plans.c), their
 * decision documents (decision.c) and amendments (amendments.c), the
 * transparency dashboard and its tables (dashboard.c), the beneficiaries
 * (beneficiaries.c) and the open data package (datapackage.c). Also the
 * fallback for unknown /api/ paths (404 JSON).
 */
#include "app.h"

#include "dashboard.h"

int
main(void)
{
	static const struct route *const tables[] = {
		dashboard_places_routes,
		dashboard_plans_routes,
		dashboard_decision_routes,
		dashboard_amend_routes,		/* before dash's /{} */
		dashboard_complete_routes,	/* before dash's /{} */
		dashboard_dash_routes,
		dashboard_benef_routes,
		dashboard_datapackage_routes,
		NULL
	};
	static const struct app app = {
		.name = "kc-dashboard", .db_user = "kc_public",
		.tables = tables,
	};

	return app_main(&app);
}
