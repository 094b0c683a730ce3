/*
 * values: the fixed value lists of the system, once. Each is an X-macro
 * of (enum name, the code stored in the database and used in the API, the
 * Vietnamese label the pages show). The SQL ENUM/SET definitions of the
 * migrations and public/js/values.js must hold the same codes in the same
 * order: tests/http/values.test.mjs checks both against this file.
 */
#ifndef KC_VALUES_H
#define KC_VALUES_H

#include <stddef.h>

/* support_call.kind: what a call supports. */
#define CALL_KINDS(X) \
	X(CALL_TRADE_FAIR,	"trade_fair",	"Hội chợ, triển lãm") \
	X(CALL_BRAND,		"brand_registration", \
	    "Đăng ký nhãn hiệu, thương hiệu") \
	X(CALL_LABEL,		"label_printing", \
	    "Thiết kế, in nhãn mác, bao bì") \
	X(CALL_DEMO_MODEL,	"demo_model",	"Mô hình trình diễn kỹ thuật") \
	X(CALL_TRAINING,	"training",	"Đào tạo, tập huấn")

/* application.status and application_event.status. */
#define APP_STATUSES(X) \
	X(APP_SUBMITTED,	"submitted",	"Đã nộp") \
	X(APP_UNDER_REVIEW,	"under_review",	"Đang xem xét") \
	X(APP_APPROVED,		"approved",	"Được duyệt") \
	X(APP_REJECTED,		"rejected",	"Không được duyệt") \
	X(APP_WITHDRAWN,	"withdrawn",	"Đã rút")

/* award.level (API.md: district up to 2025, commune from 1 July 2025). */
#define AWARD_LEVELS(X) \
	X(LEVEL_COMMUNE,	"commune",	"Cấp xã") \
	X(LEVEL_DISTRICT,	"district",	"Cấp huyện") \
	X(LEVEL_PROVINCE,	"province",	"Cấp tỉnh") \
	X(LEVEL_REGION,		"region",	"Cấp khu vực") \
	X(LEVEL_NATIONAL,	"national",	"Cấp quốc gia")

/* staff_user.roles (a SET: bit k is the k-th role, ROLE_* in auth.h). */
#define STAFF_ROLES(X) \
	X(ROLE_I_ADMIN,		"admin",	"Quản trị") \
	X(ROLE_I_REVIEWER,	"reviewer",	"Duyệt hồ sơ") \
	X(ROLE_I_FINANCE,	"finance",	"Tài chính") \
	X(ROLE_I_IMPORTER,	"importer",	"Nhập danh sách") \
	X(ROLE_I_AUDITOR,	"auditor",	"Kiểm tra")

/* activity.status. */
#define ACTIVITY_STATUSES(X) \
	X(ACT_PLANNED,		"planned",	"Chưa triển khai") \
	X(ACT_IN_PROGRESS,	"in_progress",	"Đang thực hiện") \
	X(ACT_DONE,		"done",		"Hoàn thành") \
	X(ACT_CANCELLED,	"cancelled",	"Đã huỷ")

/* plan.status: a draft is staff's only; a published plan is public. */
#define PLAN_STATUSES(X) \
	X(PLAN_DRAFT,		"draft",	"Bản nháp") \
	X(PLAN_PUBLISHED,	"published",	"Đã công bố")

/* facility.kind. */
#define FACILITY_KINDS(X) \
	X(FAC_HOUSEHOLD,	"household",	"Hộ kinh doanh") \
	X(FAC_COOPERATIVE,	"cooperative",	"Hợp tác xã") \
	X(FAC_ENTERPRISE,	"enterprise",	"Doanh nghiệp")

#define VALUES_ENUM(id, code, label)	id,
enum call_kind { CALL_KINDS(VALUES_ENUM) CALL__MAX };
enum app_status { APP_STATUSES(VALUES_ENUM) APP__MAX };
enum award_level_code { AWARD_LEVELS(VALUES_ENUM) LEVEL__MAX };
enum staff_role_index { STAFF_ROLES(VALUES_ENUM) ROLE_I__MAX };
enum activity_status { ACTIVITY_STATUSES(VALUES_ENUM) ACT__MAX };
enum facility_kind { FACILITY_KINDS(VALUES_ENUM) FAC__MAX };
enum plan_status { PLAN_STATUSES(VALUES_ENUM) PLAN__MAX };
#undef VALUES_ENUM

/* The codes of each list, in order, NULL-terminated. */
extern const char *const values_call_kinds[];
extern const char *const values_app_statuses[];
extern const char *const values_award_levels[];
extern const char *const values_staff_roles[];
extern const char *const values_activity_statuses[];
extern const char *const values_facility_kinds[];
extern const char *const values_plan_statuses[];

/* The index of code in a NULL-terminated list, or -1. */
int	values_find(const char *const *list, const char *code);

#endif
