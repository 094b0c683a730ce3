/*
 * kc-import: import award lists (CSV as the office's Excel wrote them).
 *
 *   kc-import [--dry-run] [--strict] [--json] [--encoding NAME]
 *       [--kind awards|payments] [--activity ID] FILE...
 *
 * --dry-run    validate and count, change nothing
 * --strict     one rejected row rejects the whole file (nothing changes)
 * --json       the report of API.md on standard output, one JSON object
 *              per line and per file, and nothing else there
 * --encoding   utf-8, utf-16le, utf-16be, windows-1258 or tcvn3 instead
 *              of detecting it
 * --kind       awards (the default: award lists) or payments
 *              (disbursements, as POST /api/admin/imports?kind=payments)
 * --activity   payments: every line is of activity ID (without it, each
 *              line names its own in a «Hoạt động» column)
 *
 * Exit status: 0 every file was processed (rejected rows included), 1
 * --strict rejected a file, 2 bad usage, an unreadable file, another
 * import running or the database failing. A progress bar goes to standard
 * error when it is a terminal. Uses the database account kc_staff of the
 * private instance under var/ unless the environment says otherwise.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "db.h"
#include "importer.h"
#include "log.h"

struct progress {
	size_t	 lines;		/* lines in the file, 0 if unknown */
	int	 shown;
};

static void
usage(void)
{
	fprintf(stderr, "usage: kc-import [--dry-run] [--strict] [--json]"
	    " [--encoding NAME] [--kind awards|payments] [--activity ID]"
	    " FILE...\n");
}

/* Lines in a file, for the progress bar (0 if it cannot be read). */
static size_t
count_lines(const char *path)
{
	FILE	*f;
	char	 buf[65536];
	size_t	 n, i, lines = 1;

	if ((f = fopen(path, "rb")) == NULL)
		return 0;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		for (i = 0; i < n; i++)
			lines += buf[i] == '\n';
	fclose(f);
	return lines;
}

static void
show_progress(void *arg, size_t rows, size_t line)
{
	struct progress	*p = arg;
	int		 pct, w, i;
	char		 bar[41];

	if (p->lines == 0)
		return;
	pct = (int)(line * 100 / p->lines);
	if (pct > 100)
		pct = 100;
	w = pct * 40 / 100;
	for (i = 0; i < 40; i++)
		bar[i] = i < w ? '#' : ' ';
	bar[40] = '\0';
	fprintf(stderr, "\r[%s] %3d%%  %zu dòng", bar, pct, rows);
	p->shown = 1;
}

/* The report for a person: counts, then errors and warnings. */
static void
print_text(const char *file, json_object *rep)
{
	json_object	*v, *list, *it;
	size_t		 i, n;
	const char	*delim;

#define GETS(o, k) (json_object_object_get_ex((o), (k), &v) && v != NULL ? \
	json_object_get_string(v) : "")
#define GETI(o, k) (json_object_object_get_ex((o), (k), &v) ? \
	(long long)json_object_get_int64(v) : 0)
	delim = GETS(rep, "delimiter");
	printf("%s: %s (lần nhập #%lld%s)\n", file, GETS(rep, "status"),
	    GETI(rep, "import_id"), GETI(rep, "dry_run") ?
	    ", chạy thử: không thay đổi gì" : "");
	if (json_object_object_get_ex(rep, "message", &v))
		printf("  %s\n", json_object_get_string(v));
	printf("  mã hoá %s, dấu phân cách %s, dòng tiêu đề %lld\n",
	    GETS(rep, "encoding"), strcmp(delim, "\t") == 0 ? "tab" : delim,
	    GETI(rep, "header_line"));
	printf("  %lld dòng: %lld thêm mới, %lld cập nhật, %lld không đổi,"
	    " %lld bị loại\n", GETI(rep, "rows_total"),
	    GETI(rep, "rows_inserted"), GETI(rep, "rows_updated"),
	    GETI(rep, "rows_unchanged"), GETI(rep, "rows_rejected"));
	if (json_object_object_get_ex(rep, "ignored_columns", &list) &&
	    (n = json_object_array_length(list)) > 0) {
		printf("  cột bỏ qua:");
		for (i = 0; i < n; i++)
			printf("%s \"%s\"", i ? "," : "",
			    json_object_get_string(json_object_array_get_idx(
			    list, i)));
		printf("\n");
	}
	if (json_object_object_get_ex(rep, "errors", &list))
		for (i = 0, n = json_object_array_length(list); i < n; i++) {
			it = json_object_array_get_idx(list, i);
			printf("  lỗi dòng %lld [%s] %s\n", GETI(it, "line"),
			    GETS(it, "code"), GETS(it, "message"));
		}
	if (json_object_object_get_ex(rep, "warnings", &list))
		for (i = 0, n = json_object_array_length(list); i < n; i++) {
			it = json_object_array_get_idx(list, i);
			printf("  cảnh báo dòng %lld [%s] %s\n",
			    GETI(it, "line"), GETS(it, "code"),
			    GETS(it, "message"));
		}
#undef GETS
#undef GETI
}

/*
 * The options before the files into o and *json. The index of the first
 * file, or -1 with the exit status in *status (--help, bad usage).
 */
static int
parse_args(int argc, char *argv[], struct imp_opts *o, int *json,
    int *status)
{
	int	 i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (strcmp(argv[i], "--dry-run") == 0)
			o->dry_run = 1;
		else if (strcmp(argv[i], "--strict") == 0)
			o->strict = 1;
		else if (strcmp(argv[i], "--json") == 0)
			*json = 1;
		else if (strcmp(argv[i], "--encoding") == 0 && i + 1 < argc)
			o->encoding = argv[++i];
		else if (strncmp(argv[i], "--encoding=", 11) == 0)
			o->encoding = argv[i] + 11;
		else if (strcmp(argv[i], "--kind") == 0 && i + 1 < argc &&
		    (strcmp(argv[i + 1], "awards") == 0 ||
		    strcmp(argv[i + 1], "payments") == 0))
			o->kind = strcmp(argv[++i], "payments") == 0 ?
			    IMP_PAYMENTS : IMP_AWARDS;
		else if (strcmp(argv[i], "--activity") == 0 && i + 1 < argc &&
		    (o->activity_id = strtoll(argv[i + 1], NULL, 10)) > 0)
			i++;
		else if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			usage();
			*status = 0;
			return -1;
		} else {
			fprintf(stderr, "kc-import: unknown option %s\n",
			    argv[i]);
			usage();
			*status = 2;
			return -1;
		}
	}
	if (i >= argc || (o->activity_id > 0 && o->kind != IMP_PAYMENTS)) {
		usage();
		*status = 2;
		return -1;
	}
	return i;
}

/*
 * Import one file and print its report (JSON or text). The exit status
 * it asks for: 0, 1 (--strict rejected it) or 2.
 */
static int
import_one(struct imp *im, const char *path, struct imp_opts *o, int json)
{
	struct imp_result	 res;
	struct progress		 prog;
	int			 rc;

	memset(&prog, 0, sizeof(prog));
	if (isatty(STDERR_FILENO)) {
		prog.lines = count_lines(path);
		o->progress = show_progress;
		o->progress_arg = &prog;
	}
	rc = imp_file(im, path, NULL, o, &res);
	if (prog.shown)
		fprintf(stderr, "\n");
	if (res.report == NULL) {
		fprintf(stderr, "kc-import: %s: %s\n", path,
		    res.message != NULL ? res.message : "lỗi");
		return 2;
	}
	if (json)
		printf("%s\n", json_object_to_json_string_ext(res.report,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	else
		print_text(path, res.report);
	if (rc != IMP_DONE && res.message != NULL && json)
		fprintf(stderr, "kc-import: %s: %s\n", path, res.message);
	fflush(stdout);
	json_object_put(res.report);
	if (rc == IMP_REJECTED)
		return 1;
	return rc != IMP_DONE ? 2 : 0;
}

int
main(int argc, char *argv[])
{
	struct imp_opts		 o;
	struct imp		*im;
	struct db		*db;
	struct passwd		*pw;
	char			 user[80];
	int			 i, json = 0, status = 0, st;

	log_init("kc-import");
	/* A batch of a large file may take longer than a web request may. */
	setenv("KC_DB_READ_TIMEOUT", "600", 0);
	memset(&o, 0, sizeof(o));
	o.source = "cli";
	o.lock_wait = 60;
	if ((i = parse_args(argc, argv, &o, &json, &status)) < 0)
		return status;
	pw = getpwuid(getuid());
	snprintf(user, sizeof(user), "cli:%s", pw != NULL ? pw->pw_name :
	    "?");
	o.username = user;
	/* The tool's one connection (the importer opens its book's). */
	db = db_new("kc_staff", NULL, 0);
	im = imp_new(db);
	for (; i < argc; i++) {
		st = import_one(im, argv[i], &o, json);
		if (st == 2 || (st == 1 && status < 1))
			status = st;
	}
	imp_free(im);
	db_free(db);
	return status;
}
