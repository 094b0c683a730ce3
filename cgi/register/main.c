/*
 * kc-register: facilities apply for support (issue 4). The open and past
 * calls (calls.c), one application form, JSON or a plain form post
 * (applications.c), and the status of an application by its reference
 * code and secret token (status.c), the applicant's steps of its review:
 * withdraw, answer a request for information, read its files (steps.c). Plain form posts, from browsers
 * without JavaScript, are answered with small server-written pages
 * (pages.c). The resources share register.h.
 */
#include <sodium.h>

#include "app.h"

#include "register.h"

/* The resources' route tables, matched in this order. */
static const struct route *const tables[] = {
	register_calls_routes,
	register_applications_routes,
	register_status_routes,
	register_steps_routes,
	NULL
};

int
main(void)
{
	static const struct app app = {
		.name = "kc-register", .db_user = "kc_public",
		.tables = tables, .causal = 1,
	};

	if (sodium_init() < 0)
		return 1;
	return app_main(&app);
}
