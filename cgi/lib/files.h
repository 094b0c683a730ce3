/*
 * files: the store of uploaded files (issue 19): an applicant's
 * attachments now, a plan decision's PDF later. A file is taken only
 * when its CONTENT is a PDF, a JPEG or a PNG (magic bytes; the name and
 * the type the browser sent are not trusted) and at most FILES_MAX bytes.
 * It is stored as $KC_VAR/files/<sha256 of its content> (outside the web
 * root; the client's name is never a path) and served by a program that
 * checked who may read it, with its own type, as a download, nosniff.
 * A caller may take larger files (a plan's decision, 10 MB) through
 * files_store_max(), up to FILES_STORE_MAX: one store for all of them.
 */
#ifndef KC_FILES_H
#define KC_FILES_H

#include <stddef.h>

struct arena;
struct req;

#define FILES_MAX	(5u << 20)	/* 5 MB: an applicant's file */
#define FILES_STORE_MAX	(10u << 20)	/* 10 MB: the largest any caller
					   stores (a plan's decision) */
#define FILES_HASH_HEX	65		/* sha256 as hex, with its NUL */

const char	*files_sniff(const char *data, size_t len);
int		 files_store(const char *data, size_t len,
		    char hex[FILES_HASH_HEX]);
int		 files_store_max(const char *data, size_t len, size_t max,
		    char hex[FILES_HASH_HEX]);
int		 files_hash_ok(const char *hex);
const char	*files_clean_name(struct arena *, const char *name);
int		 files_serve(struct req *, const char *hex, const char *ctype,
		    const char *name);

#endif
